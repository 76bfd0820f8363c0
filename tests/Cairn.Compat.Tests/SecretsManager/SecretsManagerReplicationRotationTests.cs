using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.SecretsManager;

/// <summary>Replication to other regions and rotation schedules through the real aws CLI v2 and boto3.</summary>
public sealed class SecretsManagerReplicationRotationTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Function = "arn:aws:lambda:us-east-1:000000000000:function:rotate-registry";

    [Fact]
    public async Task The_cli_creates_a_replicated_secret_reads_the_replica_in_its_region_and_removes_it()
    {
        var created = (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/replicated", "--secret-string", "v1",
            "--add-replica-regions", "Region=eu-west-1", "Region=eu-central-1")).Ok();
        (await cairn.Aws("secretsmanager", "put-secret-value", "--secret-id", "cli/replicated", "--secret-string", "v2")).Ok();
        var replicaValue = (await cairn.Aws("--region", "eu-west-1", "secretsmanager", "get-secret-value", "--secret-id", "cli/replicated")).Ok();
        var replica = (await cairn.Aws("--region", "eu-west-1", "secretsmanager", "describe-secret", "--secret-id", "cli/replicated")).Ok();
        var refused = (await cairn.Aws("--region", "eu-west-1", "secretsmanager", "put-secret-value", "--secret-id", "cli/replicated", "--secret-string", "x")).Fails("InvalidRequestException");
        var removed = (await cairn.Aws("secretsmanager", "remove-regions-from-replication", "--secret-id", "cli/replicated", "--remove-replica-regions", "eu-west-1")).Ok();
        var gone = (await cairn.Aws("--region", "eu-west-1", "secretsmanager", "get-secret-value", "--secret-id", "cli/replicated")).Fails("ResourceNotFoundException");
        var promoted = (await cairn.Aws("--region", "eu-central-1", "secretsmanager", "stop-replication-to-replica", "--secret-id", "cli/replicated")).Ok();
        var primary = (await cairn.Aws("secretsmanager", "describe-secret", "--secret-id", "cli/replicated")).Ok();

        Assert.Equal(["InSync", "InSync"], created["ReplicationStatus"]!.AsArray().Select(s => s!["Status"]!.GetValue<string>()));
        Assert.Equal("v2", replicaValue["SecretString"]!.GetValue<string>());
        Assert.Contains(":eu-west-1:", replicaValue["ARN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("us-east-1", replica["PrimaryRegion"]!.GetValue<string>());
        Assert.Contains("Operation not permitted on a replica secret", refused, StringComparison.Ordinal);
        Assert.Equal("eu-central-1", removed["ReplicationStatus"]![0]!["Region"]!.GetValue<string>());
        Assert.Contains("can't find the specified secret", gone, StringComparison.Ordinal);
        Assert.Contains(":eu-central-1:", promoted["ARN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(primary["ReplicationStatus"]);
    }

    [Fact]
    public async Task The_cli_keeps_a_rotation_schedule_without_rotating_and_rotating_now_says_why_it_cannot()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "cli/rotated", "--secret-string", "v")).Ok();

        var now = (await cairn.Aws("secretsmanager", "rotate-secret", "--secret-id", "cli/rotated", "--rotation-lambda-arn", Function,
            "--rotation-rules", """{"ScheduleExpression":"cron(0 16 1,15 * ? *)","Duration":"2h"}""")).Fails("AccessDeniedException");
        var kept = (await cairn.Aws("secretsmanager", "rotate-secret", "--secret-id", "cli/rotated", "--rotation-lambda-arn", Function,
            "--rotation-rules", """{"ScheduleExpression":"cron(0 16 1,15 * ? *)","Duration":"2h"}""", "--no-rotate-immediately")).Ok();
        var on = (await cairn.Aws("secretsmanager", "describe-secret", "--secret-id", "cli/rotated")).Ok();
        var badRate = (await cairn.Aws("secretsmanager", "rotate-secret", "--secret-id", "cli/rotated", "--rotation-rules", """{"ScheduleExpression":"rate(1 hours)"}""", "--no-rotate-immediately"))
            .Fails("InvalidParameterException");
        (await cairn.Aws("secretsmanager", "cancel-rotate-secret", "--secret-id", "cli/rotated")).Ok();
        var off = (await cairn.Aws("secretsmanager", "describe-secret", "--secret-id", "cli/rotated")).Ok();

        Assert.Contains("Secrets Manager cannot invoke the specified Lambda function", now, StringComparison.Ordinal);
        Assert.Contains("--no-rotate-immediately", now, StringComparison.Ordinal);
        Assert.Equal("cli/rotated", kept["Name"]!.GetValue<string>());
        Assert.True(on["RotationEnabled"]!.GetValue<bool>());
        Assert.Equal(Function, on["RotationLambdaARN"]!.GetValue<string>());
        Assert.Equal("cron(0 16 1,15 * ? *)", on["RotationRules"]!["ScheduleExpression"]!.GetValue<string>());
        var next = DateTimeOffset.Parse(on["NextRotationDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.True(next.Day is 1 or 15 && next.Hour == 17 && next.Minute == 59, $"NextRotationDate {next:O} is not the end of a 16:00-18:00 window on the 1st or 15th");
        Assert.Contains("from 4 to 23 hours", badRate, StringComparison.Ordinal);
        Assert.False(off["RotationEnabled"]!.GetValue<bool>());
        Assert.Null(off["NextRotationDate"]);
    }

    [Fact]
    public async Task Boto3_replicates_under_a_key_of_the_replica_region_and_rotates_on_a_schedule()
    {
        var result = await cairn.Boto3("""
            sm, sm_eu = client("secretsmanager"), client("secretsmanager", "eu-west-3")
            key = client("kms", "eu-west-3").create_key()["KeyMetadata"]["Arn"]
            sm.create_secret(Name="boto3/replicated", SecretString="s3cret")
            out = sm.replicate_secret_to_regions(SecretId="boto3/replicated", AddReplicaRegions=[{"Region": "eu-west-3", "KmsKeyId": key}])
            assert out["ReplicationStatus"][0]["Status"] == "InSync", out
            assert sm_eu.get_secret_value(SecretId="boto3/replicated")["SecretString"] == "s3cret"
            replica = sm_eu.describe_secret(SecretId="boto3/replicated")
            assert replica["KmsKeyId"] == key and replica["PrimaryRegion"] == "us-east-1", replica
            print(error_code(sm_eu.update_secret, SecretId="boto3/replicated", Description="d"))
            print(error_code(sm.delete_secret, SecretId="boto3/replicated"))
            sm_eu.stop_replication_to_replica(SecretId="boto3/replicated")
            sm_eu.put_secret_value(SecretId="boto3/replicated", SecretString="local")
            assert sm.get_secret_value(SecretId="boto3/replicated")["SecretString"] == "s3cret"
            sm.rotate_secret(SecretId="boto3/replicated", RotationLambdaARN="arn:aws:lambda:us-east-1:000000000000:function:r",
                             RotationRules={"AutomaticallyAfterDays": 10}, RotateImmediately=False)
            d = sm.describe_secret(SecretId="boto3/replicated")
            assert d["RotationEnabled"] and d["RotationRules"] == {"AutomaticallyAfterDays": 10}, d
            assert "LastRotatedDate" not in d, d  # this boto3's model predates NextRotationDate (the CLI test reads it)
            print(error_code(sm.rotate_secret, SecretId="boto3/replicated"))
            listed = sm.list_secrets(Filters=[{"Key": "name", "Values": ["boto3/replicated"]}])["SecretList"][0]
            assert listed["RotationEnabled"] and "ReplicationStatus" not in listed, listed
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("InvalidRequestException: Operation not permitted on a replica secret.", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("InvalidRequestException: You can't delete a primary secret that is replicated", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("AccessDeniedException: Secrets Manager cannot invoke the specified Lambda function.", lines[2], StringComparison.Ordinal);
    }
}
