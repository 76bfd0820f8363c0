using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>ReplicateSecretToRegions, CreateSecret's AddReplicaRegions, RemoveRegionsFromReplication and StopReplicationToReplica.</summary>
public sealed class SecretReplicationTests : SecretsManagerFixture
{
    private static RequestContext In(string region, RequestContext? context = null) => (context ?? Root) with { Region = region };

    [Fact]
    public async Task A_replica_has_the_primarys_value_under_its_own_arn_and_follows_every_write_to_the_primary()
    {
        var created = await CallAsync("CreateSecret", """{"Name":"rep/db","SecretString":"one","Description":"first","Tags":[{"Key":"team","Value":"web"}]}""");
        var replicated = await CallAsync("ReplicateSecretToRegions", """{"SecretId":"rep/db","AddReplicaRegions":[{"Region":"eu-west-1"}]}""");
        var firstRead = await CallAsync("GetSecretValue", """{"SecretId":"rep/db"}""", In("eu-west-1"));

        await CallAsync("PutSecretValue", """{"SecretId":"rep/db","SecretString":"two"}""");
        await CallAsync("UpdateSecret", """{"SecretId":"rep/db","Description":"second"}""");
        await CallAsync("TagResource", """{"SecretId":"rep/db","Tags":[{"Key":"env","Value":"prod"}]}""");
        var current = await CallAsync("GetSecretValue", """{"SecretId":"rep/db"}""", In("eu-west-1"));
        var previous = await CallAsync("GetSecretValue", """{"SecretId":"rep/db","VersionStage":"AWSPREVIOUS"}""", In("eu-west-1"));
        var replica = await CallAsync("DescribeSecret", """{"SecretId":"rep/db"}""", In("eu-west-1"));
        var primary = await CallAsync("DescribeSecret", """{"SecretId":"rep/db"}""");

        var arn = created["ARN"]!.GetValue<string>();
        Assert.Equal(arn, replicated["ARN"]!.GetValue<string>());
        Assert.Equal("""[{"Region":"eu-west-1","KmsKeyId":"alias/aws/secretsmanager","Status":"InSync"}]""", replicated["ReplicationStatus"]!.ToJsonString());
        Assert.Equal("one", firstRead["SecretString"]!.GetValue<string>());
        Assert.Equal(arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal), firstRead["ARN"]!.GetValue<string>());
        Assert.Equal("two", current["SecretString"]!.GetValue<string>());
        Assert.Equal("one", previous["SecretString"]!.GetValue<string>());
        Assert.Equal("second", replica["Description"]!.GetValue<string>());
        Assert.Equal("""[{"Key":"team","Value":"web"},{"Key":"env","Value":"prod"}]""", replica["Tags"]!.ToJsonString());
        Assert.Equal("us-east-1", replica["PrimaryRegion"]!.GetValue<string>());
        Assert.Null(replica["ReplicationStatus"]);
        Assert.Equal("us-east-1", primary["PrimaryRegion"]!.GetValue<string>());
        var status = primary["ReplicationStatus"]!.AsArray().Single()!;
        Assert.Equal("InSync", status["Status"]!.GetValue<string>());
        Assert.NotNull(status["LastAccessedDate"]);
    }

    [Fact]
    public async Task A_replica_refuses_writes_and_a_primary_with_replicas_refuses_deletion()
    {
        await CallAsync("CreateSecret", """{"Name":"rep/locked","SecretString":"v","AddReplicaRegions":[{"Region":"eu-west-1"}]}""");
        var eu = In("eu-west-1");

        var writes = new[]
        {
            await FailAsync("PutSecretValue", """{"SecretId":"rep/locked","SecretString":"w"}""", eu),
            await FailAsync("UpdateSecret", """{"SecretId":"rep/locked","Description":"d"}""", eu),
            await FailAsync("TagResource", """{"SecretId":"rep/locked","Tags":[{"Key":"k","Value":"v"}]}""", eu),
            await FailAsync("DeleteSecret", """{"SecretId":"rep/locked","ForceDeleteWithoutRecovery":true}""", eu),
            await FailAsync("RotateSecret", """{"SecretId":"rep/locked","RotationLambdaARN":"arn:aws:lambda:eu-west-1:000000000000:function:r","RotationRules":{"AutomaticallyAfterDays":7},"RotateImmediately":false}""", eu),
            await FailAsync("ReplicateSecretToRegions", """{"SecretId":"rep/locked","AddReplicaRegions":[{"Region":"us-west-2"}]}""", eu),
        };
        var deletePrimary = await FailAsync("DeleteSecret", """{"SecretId":"rep/locked"}""");
        var stopOnPrimary = await FailAsync("StopReplicationToReplica", """{"SecretId":"rep/locked"}""");
        var read = await CallAsync("GetSecretValue", """{"SecretId":"rep/locked"}""", eu);

        Assert.All(writes, e => Assert.Equal("InvalidRequestException", e.Code));
        Assert.All(writes, e => Assert.StartsWith("Operation not permitted on a replica secret. Call must be made in primary secret's region.", e.Message, StringComparison.Ordinal));
        Assert.Contains("replica of the secret in us-east-1", writes[0].Message, StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", deletePrimary.Code);
        Assert.Contains("remove-regions-from-replication --secret-id rep/locked --remove-replica-regions eu-west-1", deletePrimary.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", stopOnPrimary.Code);
        Assert.Equal("v", read["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_name_taken_in_the_replica_region_fails_the_replica_until_the_overwrite_is_forced()
    {
        await CallAsync("CreateSecret", """{"Name":"rep/taken","SecretString":"theirs"}""", In("eu-west-2"));

        var created = await CallAsync("CreateSecret", """{"Name":"rep/taken","SecretString":"ours","AddReplicaRegions":[{"Region":"eu-west-2"}]}""");
        var untouched = await CallAsync("GetSecretValue", """{"SecretId":"rep/taken"}""", In("eu-west-2"));
        var forced = await CallAsync("ReplicateSecretToRegions", """{"SecretId":"rep/taken","AddReplicaRegions":[{"Region":"eu-west-2"}],"ForceOverwriteReplicaSecret":true}""");
        var overwritten = await CallAsync("GetSecretValue", """{"SecretId":"rep/taken"}""", In("eu-west-2"));

        var failed = created["ReplicationStatus"]!.AsArray().Single()!;
        Assert.Equal("Failed", failed["Status"]!.GetValue<string>());
        Assert.StartsWith("Secret with this name already exists in this region", failed["StatusMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("--force-overwrite-replica-secret", failed["StatusMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("theirs", untouched["SecretString"]!.GetValue<string>());
        Assert.Equal("InSync", forced["ReplicationStatus"]![0]!["Status"]!.GetValue<string>());
        Assert.Equal("ours", overwritten["SecretString"]!.GetValue<string>());
        Assert.Equal(created["ARN"]!.GetValue<string>().Replace(":us-east-1:", ":eu-west-2:", StringComparison.Ordinal), overwritten["ARN"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replica_is_encrypted_under_the_key_given_for_its_region_with_KMS_authorized_as_the_caller()
    {
        var eu = In("eu-west-1");
        var keyArn = (await Kms.InvokeAsync("CreateKey", new JsonObject(), eu, default))["KeyMetadata"]!["Arn"]!.GetValue<string>();
        await CallAsync("CreateSecret", """{"Name":"rep/cmk","SecretString":"under-cmk"}""");
        var replicator = await UserAsync(Allow("""["secretsmanager:ReplicateSecretToRegions","secretsmanager:DescribeSecret"]"""));

        var refused = await CallAsync("ReplicateSecretToRegions", $$"""{"SecretId":"rep/cmk","AddReplicaRegions":[{"Region":"eu-west-1","KmsKeyId":"{{keyArn}}"}]}""", replicator);
        var asRoot = await CallAsync("ReplicateSecretToRegions", $$"""{"SecretId":"rep/cmk","AddReplicaRegions":[{"Region":"eu-west-1","KmsKeyId":"{{keyArn}}"}]}""");
        var read = await CallAsync("GetSecretValue", """{"SecretId":"rep/cmk"}""", eu);
        var described = await CallAsync("DescribeSecret", """{"SecretId":"rep/cmk"}""", eu);
        await Kms.InvokeAsync("DisableKey", JsonNode.Parse($$"""{"KeyId":"{{keyArn}}"}""")!.AsObject(), eu, default);
        var disabled = await FailAsync("GetSecretValue", """{"SecretId":"rep/cmk"}""", eu);

        var failed = refused["ReplicationStatus"]!.AsArray().Single()!;
        Assert.Equal("Failed", failed["Status"]!.GetValue<string>());
        Assert.Contains("kms:GenerateDataKey", failed["StatusMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("InSync", asRoot["ReplicationStatus"]![0]!["Status"]!.GetValue<string>());
        Assert.Equal(keyArn, asRoot["ReplicationStatus"]![0]!["KmsKeyId"]!.GetValue<string>());
        Assert.Equal("under-cmk", read["SecretString"]!.GetValue<string>());
        Assert.Equal(keyArn, described["KmsKeyId"]!.GetValue<string>());
        Assert.Equal("DecryptionFailure", disabled.Code);
    }

    [Fact]
    public async Task Removing_a_region_deletes_its_replica_and_stopping_replication_makes_a_standalone_secret()
    {
        await CallAsync("CreateSecret", """{"Name":"rep/split","SecretString":"v1","AddReplicaRegions":[{"Region":"eu-west-1"},{"Region":"ap-south-1"}]}""");

        var removed = await CallAsync("RemoveRegionsFromReplication", """{"SecretId":"rep/split","RemoveReplicaRegions":["eu-west-1"]}""");
        var gone = await FailAsync("GetSecretValue", """{"SecretId":"rep/split"}""", In("eu-west-1"));
        var stopped = await CallAsync("StopReplicationToReplica", """{"SecretId":"rep/split"}""", In("ap-south-1"));
        await CallAsync("PutSecretValue", """{"SecretId":"rep/split","SecretString":"primary-v2"}""");
        await CallAsync("PutSecretValue", """{"SecretId":"rep/split","SecretString":"standalone-v2"}""", In("ap-south-1"));
        var standalone = await CallAsync("DescribeSecret", """{"SecretId":"rep/split"}""", In("ap-south-1"));
        var standaloneValue = await CallAsync("GetSecretValue", """{"SecretId":"rep/split"}""", In("ap-south-1"));
        var primary = await CallAsync("DescribeSecret", """{"SecretId":"rep/split"}""");
        await CallAsync("DeleteSecret", """{"SecretId":"rep/split","ForceDeleteWithoutRecovery":true}""");

        Assert.Equal("ap-south-1", removed["ReplicationStatus"]!.AsArray().Single()!["Region"]!.GetValue<string>());
        Assert.Equal("ResourceNotFoundException", gone.Code);
        Assert.Contains(":ap-south-1:", stopped["ARN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(standalone["PrimaryRegion"]);
        Assert.Equal("standalone-v2", standaloneValue["SecretString"]!.GetValue<string>());
        Assert.Null(primary["ReplicationStatus"]);
        Assert.Null(primary["PrimaryRegion"]);
    }

    [Fact]
    public async Task Bad_replica_regions_answer_4xx_naming_the_region()
    {
        await CallAsync("CreateSecret", """{"Name":"rep/bad","SecretString":"v"}""");

        var own = await FailAsync("ReplicateSecretToRegions", """{"SecretId":"rep/bad","AddReplicaRegions":[{"Region":"us-east-1"}]}""");
        var twice = await FailAsync("ReplicateSecretToRegions", """{"SecretId":"rep/bad","AddReplicaRegions":[{"Region":"eu-west-1"},{"Region":"eu-west-1"}]}""");
        var malformed = await FailAsync("ReplicateSecretToRegions", """{"SecretId":"rep/bad","AddReplicaRegions":[{"Region":"Mars"}]}""");
        var notReplicated = await FailAsync("RemoveRegionsFromReplication", """{"SecretId":"rep/bad","RemoveReplicaRegions":["eu-west-3"]}""");
        var ownAtCreate = await FailAsync("CreateSecret", """{"Name":"rep/bad2","SecretString":"v","AddReplicaRegions":[{"Region":"us-east-1"}]}""");
        var notCreated = await FailAsync("DescribeSecret", """{"SecretId":"rep/bad2"}""");

        Assert.Equal("InvalidParameterException", own.Code);
        Assert.Contains("us-east-1 is the primary secret's own region", own.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidParameterException", twice.Code);
        Assert.Equal("ValidationException", malformed.Code);
        Assert.Equal("InvalidParameterException", notReplicated.Code);
        Assert.Contains("not replicated to eu-west-3", notReplicated.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidParameterException", ownAtCreate.Code);
        Assert.Equal("ResourceNotFoundException", notCreated.Code);
    }

    private IJsonService Kms => Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == "TrentService");
}
