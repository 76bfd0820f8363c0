using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Conventions;

/// <summary>
/// Garnet's AllCommandsCovered, for IAM: every operation every service serves is checked twice, through the real
/// policy authorizer. A principal whose only policy allows exactly that action gets past authorization; a principal with
/// no policy is denied with AWS's text naming that action. An operation without a case here fails the build's tests.
/// </summary>
public sealed class AuthorizationConventionTests : IAsyncLifetime
{
    private const string Account = "000000000000";
    private const string Region = "us-east-1";
    private const string RoleTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}""";
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-conventions-").FullName;
    private CairnServer _server = null!;
    private string _keyId = string.Empty;
    private string _ciphertext = string.Empty;
    private string _someonesKey = string.Empty;
    private string _buildId = string.Empty;
    private int _users;
    private string _connectionArn = string.Empty;
    private string _hostArn = string.Empty;
    private string _spareKeyId = string.Empty;
    private string _signingKeyId = string.Empty;
    private string _signature = string.Empty;
    private string _macKeyId = string.Empty;
    private string _mac = string.Empty;

    /// <summary>Operations AWS serves without any permission, with the reason.</summary>
    private static readonly Dictionary<string, string> NoPermissionNeeded = new(StringComparer.Ordinal)
    {
        ["sts:GetCallerIdentity"] = "AWS answers GetCallerIdentity even when every action is denied",
        ["sts:GetSessionToken"] = "AWS: no permissions are required; policies cannot control this authentication operation",
        ["sts:GetAccessKeyInfo"] = "AWS answers it for any validly signed request",
        ["sts:AssumeRoleWithWebIdentity"] = "AWS: an unsigned request; the token and the role's trust policy decide",
    };

    /// <summary>Actions whose call also hands a role to a service, so the allowed principal needs iam:PassRole on it too.</summary>
    private static readonly HashSet<string> PassesARole = new(StringComparer.Ordinal)
    {
        "codebuild:CreateProject", "codepipeline:CreatePipeline", "codepipeline:UpdatePipeline", "iam:AddRoleToInstanceProfile",
    };

    /// <summary>Operations AWS authorizes as other actions than their own name (ReEncrypt: kms:ReEncryptFrom on the source key, kms:ReEncryptTo on the destination).</summary>
    private static readonly Dictionary<string, string[]> AuthorizedAs = new(StringComparer.Ordinal)
    {
        ["kms:ReEncrypt"] = ["kms:ReEncryptFrom", "kms:ReEncryptTo"],
        ["cairn:GetSecretsReport"] = ["ssm:DescribeParameters", "cloudtrail:LookupEvents"],
        ["cairn:GetPolicySuggestion"] = ["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "cloudtrail:LookupEvents"],
    };

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIACONVENTIONROOT01", RootSecretAccessKey = "root" });
        var root = Context(Principal.Root(Account));
        await Json("AmazonSSM").InvokeAsync("PutParameter", Parse("""{"Name":"/conv/p","Value":"v","Type":"String"}"""), root, default);
        await Json("AmazonSSM").InvokeAsync("LabelParameterVersion", Parse("""{"Name":"/conv/p","Labels":["l"]}"""), root, default);
        var created = await Json("TrentService").InvokeAsync("CreateKey", new JsonObject(), root, default);
        _keyId = created["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        var encrypted = await Json("TrentService").InvokeAsync("Encrypt", Parse($$"""{"KeyId":"{{_keyId}}","Plaintext":"aGVsbG8="}"""), root, default);
        _ciphertext = encrypted["CiphertextBlob"]!.GetValue<string>();
        // Deletion, rotation and policy changes go to a key of their own, so the other operations keep a usable key.
        _spareKeyId = (await Json("TrentService").InvokeAsync("CreateKey", new JsonObject(), root, default))["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        await Json("TrentService").InvokeAsync("CreateAlias", Parse($$"""{"AliasName":"alias/conv-existing","TargetKeyId":"{{_spareKeyId}}"}"""), root, default);
        var kms = Json("TrentService");
        _signingKeyId = (await kms.InvokeAsync("CreateKey", Parse("""{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}"""), root, default))["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        _signature = (await kms.InvokeAsync("Sign", Parse($$"""{"KeyId":"{{_signingKeyId}}","Message":"aGVsbG8=","SigningAlgorithm":"ECDSA_SHA_256"}"""), root, default))["Signature"]!.GetValue<string>();
        _macKeyId = (await kms.InvokeAsync("CreateKey", Parse("""{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}"""), root, default))["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        _mac = (await kms.InvokeAsync("GenerateMac", Parse($$"""{"KeyId":"{{_macKeyId}}","Message":"aGVsbG8=","MacAlgorithm":"HMAC_SHA_256"}"""), root, default))["Mac"]!.GetValue<string>();
        await Query("iam").InvokeAsync("CreateRole", new Dictionary<string, string> { ["RoleName"] = "conv-role", ["AssumeRolePolicyDocument"] = RoleTrust }, root, default);

        // A real key: IAM answers AccessDenied for a key id that does not exist, whatever the caller's rights.
        await Query("iam").InvokeAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = "someone" }, root, default);
        var key = await Query("iam").InvokeAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = "someone" }, root, default);
        _someonesKey = key!.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;

        await Json("CodeBuild_20161006").InvokeAsync("CreateProject", Parse(CodeBuildProject("conv-app")), root, default);
        var build = await Json("CodeBuild_20161006").InvokeAsync("StartBuild", Parse("""{"projectName":"conv-app"}"""), root, default);
        _buildId = build["build"]!["id"]!.GetValue<string>();
        await Json("CodeBuild_20161006").InvokeAsync(
            "CreateReportGroup", Parse("""{"name":"conv-group","type":"TEST","exportConfig":{"exportConfigType":"NO_EXPORT"}}"""), root, default);
        await Json("secretsmanager").InvokeAsync(
            "CreateSecret", Parse("""{"Name":"conv/secret","SecretString":"v","ClientRequestToken":"00000000-0000-0000-0000-000000000001"}"""), root, default);
        await Json("CodePipeline_20150709").InvokeAsync("CreatePipeline", Parse($$"""{"pipeline":{{Pipeline("conv-pipe")}}}"""), root, default);
        var connections = Json(CodeConnectionsPrefix);
        var connection = await connections.InvokeAsync("CreateConnection", Parse("""{"ConnectionName":"conv","ProviderType":"GitHub"}"""), root, default);
        _connectionArn = connection["ConnectionArn"]!.GetValue<string>();
        var host = await connections.InvokeAsync("CreateHost", Parse("""{"Name":"conv","ProviderType":"GitLabSelfManaged","ProviderEndpoint":"https://git.internal"}"""), root, default);
        _hostArn = host["HostArn"]!.GetValue<string>();
    }

    private const string CodeConnectionsPrefix = "com.amazonaws.codeconnections.CodeConnections_20231201";
    private const string CodeStarPrefix = "com.amazonaws.codestar.connections.CodeStar_connections_20191201";

    /// <summary>Both connections services take the same inputs; CodeStar's HostArn must be its own service's.</summary>
    private string? ConnectionsInput(string operation, bool codeStar)
    {
        var host = codeStar ? _hostArn.Replace(":codeconnections:", ":codestar-connections:", StringComparison.Ordinal) : _hostArn;
        return operation switch
        {
            "CreateHost" => """{"Name":"h","ProviderType":"GitLabSelfManaged","ProviderEndpoint":"https://git.example"}""",
            "GetHost" or "DeleteHost" => $$"""{"HostArn":"{{host}}"}""",
            "ListHosts" or "ListConnections" => "{}",
            "CreateConnection" => """{"ConnectionName":"c","ProviderType":"GitHub"}""",
            "GetConnection" or "DeleteConnection" => $$"""{"ConnectionArn":"{{_connectionArn}}"}""",
            "TagResource" => $$"""{"ResourceArn":"{{_connectionArn}}","Tags":[{"Key":"k","Value":"v"}]}""",
            "UntagResource" => $$"""{"ResourceArn":"{{_connectionArn}}","TagKeys":["k"]}""",
            "ListTagsForResource" => $$"""{"ResourceArn":"{{_connectionArn}}"}""",
            _ => null,
        };
    }

    private static string Pipeline(string name) => $$$"""
        {"name":"{{{name}}}","roleArn":"arn:aws:iam::{{{Account}}}:role/conv-role","artifactStore":{"type":"S3","location":"conv-artifacts"},
         "stages":[{"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
           "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:{{{Account}}}:connection/c","FullRepositoryId":"a/b","BranchName":"main"},"outputArtifacts":[{"name":"Src"}]}]},
          {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}]}]}
        """;

    private static string ReportGroupArn(string name) => $"arn:aws:codebuild:us-east-1:{Account}:report-group/{name}";

    private const string ReportArn = $"arn:aws:codebuild:us-east-1:{Account}:report/conv-group:00000000-0000-0000-0000-000000000001";

    private static string CodeBuildProject(string name) => $$"""
        {"name":"{{name}}","source":{"type":"NO_SOURCE","buildspec":"version: 0.2"},"artifacts":{"type":"NO_ARTIFACTS"},
         "environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL"},"serviceRole":"arn:aws:iam::{{Account}}:role/conv-role"}
        """;

    public static TheoryData<string> ServedOperations()
    {
        var data = Directory.CreateTempSubdirectory("cairn-conventions-list-").FullName;
        try
        {
            var server = CairnServer.StartAsync(new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = "AKIACONVENTIONLIST01", RootSecretAccessKey = "x" }).GetAwaiter().GetResult();
            try
            {
                var names = server.Services.GetServices<IJsonService>().SelectMany(s => s.Operations.Select(o => $"{s.TargetPrefix}.{o}"))
                    .Concat(server.Services.GetServices<IQueryService>().SelectMany(s => s.Operations.Select(o => $"{s.SigningName}.{o}")));
                return new TheoryData<string>(names.Order(StringComparer.Ordinal));
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ServedOperations))]
    public async Task Every_served_operation_is_allowed_by_its_own_action_and_denied_without_it(string served)
    {
        // The last dot: a target prefix may have dots of its own (com.amazonaws.codeconnections.CodeConnections_20231201).
        var (service, operation) = (served[..served.LastIndexOf('.')], served[(served.LastIndexOf('.') + 1)..]);
        var action = $"{ActionPrefix(service)}:{operation}";
        var input = SampleInput(service, operation);
        Assert.True(input is not null, $"{served} has no case in {nameof(AuthorizationConventionTests)}.{nameof(SampleInput)}: add one, so that its authorization is tested.");

        var nobody = await NewPrincipalAsync(policy: null);
        var denied = await CallAsync(service, operation, input!, nobody);
        if (NoPermissionNeeded.ContainsKey(action))
        {
            // Not denied: AssumeRoleWithWebIdentity's sample token is refused as a token (InvalidIdentityToken), never as the caller.
            Assert.False(denied is { IsAccessDenied: true }, $"{action} needs no permission but was denied: {denied?.Message}");
            return;
        }

        Assert.NotNull(denied);
        Assert.Contains(denied!.Code, new[] { "AccessDeniedException", "AccessDenied" });
        var checkedActions = AuthorizedAs.GetValueOrDefault(action) ?? [action];
        Assert.Contains($"is not authorized to perform: {checkedActions[0]} on resource: ", denied.Message, StringComparison.Ordinal);

        var actions = PassesARole.Contains(action)
            ? $"[\"{action}\",\"iam:PassRole\"]"
            : "[" + string.Join(',', checkedActions.Select(a => $"\"{a}\"")) + "]";
        var allowed = await NewPrincipalAsync($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"*"}]}""");
        var outcome = await CallAsync(service, operation, input!, allowed);
        Assert.False(outcome is { IsAccessDenied: true }, $"{action} was allowed by policy but the call was denied: {outcome?.Message}");
    }

    private object? SampleInput(string service, string operation) => service switch
    {
        "AmazonSSM" => operation switch
        {
            "PutParameter" => """{"Name":"/conv/new","Value":"v","Type":"String"}""",
            "GetParameter" or "GetParameterHistory" or "DeleteParameter" => """{"Name":"/conv/p"}""",
            "GetParameters" or "DeleteParameters" => """{"Names":["/conv/p"]}""",
            "GetParametersByPath" => """{"Path":"/conv"}""",
            "DescribeParameters" => "{}",
            "LabelParameterVersion" => """{"Name":"/conv/p","Labels":["m"]}""",
            "UnlabelParameterVersion" => """{"Name":"/conv/p","ParameterVersion":1,"Labels":["l"]}""",
            "AddTagsToResource" => """{"ResourceType":"Parameter","ResourceId":"/conv/p","Tags":[{"Key":"k","Value":"v"}]}""",
            "RemoveTagsFromResource" => """{"ResourceType":"Parameter","ResourceId":"/conv/p","TagKeys":["k"]}""",
            "ListTagsForResource" => """{"ResourceType":"Parameter","ResourceId":"/conv/p"}""",
            _ => null,
        },
        "TrentService" => operation switch
        {
            "CreateKey" or "ListKeys" or "ListAliases" => "{}",
            "DescribeKey" or "EnableKey" or "DisableKey" => $$"""{"KeyId":"{{_keyId}}"}""",
            "CreateAlias" => $$"""{"AliasName":"alias/conv-{{Guid.NewGuid():N}}","TargetKeyId":"{{_keyId}}"}""",
            "Encrypt" => $$"""{"KeyId":"{{_keyId}}","Plaintext":"aGVsbG8="}""",
            "Decrypt" => $$"""{"CiphertextBlob":"{{_ciphertext}}"}""",
            "GenerateDataKey" or "GenerateDataKeyWithoutPlaintext" => $$"""{"KeyId":"{{_keyId}}","KeySpec":"AES_256"}""",
            "GenerateDataKeyPair" or "GenerateDataKeyPairWithoutPlaintext" => $$"""{"KeyId":"{{_keyId}}","KeyPairSpec":"ECC_NIST_P256"}""",
            "ScheduleKeyDeletion" or "CancelKeyDeletion" => $$"""{"KeyId":"{{_spareKeyId}}"}""",
            "UpdateKeyDescription" => $$"""{"KeyId":"{{_keyId}}","Description":"d"}""",
            "UpdateAlias" => $$"""{"AliasName":"alias/conv-existing","TargetKeyId":"{{_spareKeyId}}"}""",
            "DeleteAlias" => """{"AliasName":"alias/conv-existing"}""",
            "GenerateRandom" => """{"NumberOfBytes":16}""",
            "TagResource" => $$"""{"KeyId":"{{_keyId}}","Tags":[{"TagKey":"k","TagValue":"v"}]}""",
            "UntagResource" => $$"""{"KeyId":"{{_keyId}}","TagKeys":["k"]}""",
            "ListResourceTags" or "GetKeyRotationStatus" or "ListKeyRotations" or "GetKeyPolicy" or "ListKeyPolicies" => $$"""{"KeyId":"{{_keyId}}"}""",
            "EnableKeyRotation" or "DisableKeyRotation" or "RotateKeyOnDemand" => $$"""{"KeyId":"{{_spareKeyId}}"}""",
            "PutKeyPolicy" => $$"""{"KeyId":"{{_spareKeyId}}","Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::{{Account}}:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}""",
            "ReEncrypt" => $$"""{"CiphertextBlob":"{{_ciphertext}}","DestinationKeyId":"{{_keyId}}"}""",
            "GetPublicKey" => $$"""{"KeyId":"{{_signingKeyId}}"}""",
            "Sign" => $$"""{"KeyId":"{{_signingKeyId}}","Message":"aGVsbG8=","SigningAlgorithm":"ECDSA_SHA_256"}""",
            "Verify" => $$"""{"KeyId":"{{_signingKeyId}}","Message":"aGVsbG8=","SigningAlgorithm":"ECDSA_SHA_256","Signature":"{{_signature}}"}""",
            "GenerateMac" => $$"""{"KeyId":"{{_macKeyId}}","Message":"aGVsbG8=","MacAlgorithm":"HMAC_SHA_256"}""",
            "VerifyMac" => $$"""{"KeyId":"{{_macKeyId}}","Message":"aGVsbG8=","MacAlgorithm":"HMAC_SHA_256","Mac":"{{_mac}}"}""",
            _ => null,
        },
        "CodeBuild_20161006" => operation switch
        {
            "CreateProject" => CodeBuildProject("conv-new"),
            "UpdateProject" => """{"name":"conv-app","description":"d"}""",
            "DeleteProject" => """{"name":"conv-app"}""",
            "BatchGetProjects" => """{"names":["conv-app"]}""",
            "ListProjects" or "ListBuilds" => "{}",
            "StartBuild" or "ListBuildsForProject" => """{"projectName":"conv-app"}""",
            "BatchGetBuilds" or "BatchDeleteBuilds" => $$"""{"ids":["{{_buildId}}"]}""",
            "StopBuild" or "RetryBuild" => $$"""{"id":"{{_buildId}}"}""",
            "CreateReportGroup" => """{"name":"conv-new-group","type":"TEST","exportConfig":{"exportConfigType":"NO_EXPORT"}}""",
            "UpdateReportGroup" => $$"""{"arn":"{{ReportGroupArn("conv-group")}}","tags":[{"key":"k","value":"v"}]}""",
            "DeleteReportGroup" => $$"""{"arn":"{{ReportGroupArn("conv-gone-group")}}"}""",
            "BatchGetReportGroups" => $$"""{"reportGroupArns":["{{ReportGroupArn("conv-group")}}"]}""",
            "ListReportGroups" or "ListReports" => "{}",
            "ListReportsForReportGroup" => $$"""{"reportGroupArn":"{{ReportGroupArn("conv-group")}}"}""",
            "GetReportGroupTrend" => $$"""{"reportGroupArn":"{{ReportGroupArn("conv-group")}}","trendField":"TOTAL"}""",
            "BatchGetReports" => $$"""{"reportArns":["{{ReportArn}}"]}""",
            "DescribeTestCases" => $$"""{"reportArn":"{{ReportArn}}"}""",
            "DeleteReport" => $$"""{"arn":"{{ReportArn}}"}""",
            _ => null,
        },
        "CodePipeline_20150709" => operation switch
        {
            "CreatePipeline" => $$"""{"pipeline":{{Pipeline("conv-new-pipe")}}}""",
            "UpdatePipeline" => $$"""{"pipeline":{{Pipeline("conv-pipe")}}}""",
            "GetPipeline" or "DeletePipeline" => """{"name":"conv-pipe"}""",
            "ListPipelines" or "ListActionTypes" or "ListRuleTypes" => "{}",
            "ListRuleExecutions" => """{"pipelineName":"conv-pipe"}""",
            "OverrideStageCondition" => """{"pipelineName":"conv-pipe","stageName":"Approve","pipelineExecutionId":"11111111-2222-3333-4444-555555555555","conditionType":"BEFORE_ENTRY"}""",
            "TagResource" => $$"""{"resourceArn":"arn:aws:codepipeline:{{Region}}:{{Account}}:conv-pipe","tags":[{"key":"k","value":"v"}]}""",
            "UntagResource" => $$"""{"resourceArn":"arn:aws:codepipeline:{{Region}}:{{Account}}:conv-pipe","tagKeys":["k"]}""",
            "ListTagsForResource" => $$"""{"resourceArn":"arn:aws:codepipeline:{{Region}}:{{Account}}:conv-pipe"}""",
            "StartPipelineExecution" or "GetPipelineState" => """{"name":"conv-pipe"}""",
            "StopPipelineExecution" or "GetPipelineExecution" => """{"pipelineName":"conv-pipe","pipelineExecutionId":"11111111-2222-3333-4444-555555555555"}""",
            "ListPipelineExecutions" or "ListActionExecutions" => """{"pipelineName":"conv-pipe"}""",
            "PutApprovalResult" => """{"pipelineName":"conv-pipe","stageName":"Approve","actionName":"Manual","result":{"summary":"ok","status":"Approved"},"token":"11111111-2222-3333-4444-555555555555"}""",
            "RetryStageExecution" => """{"pipelineName":"conv-pipe","stageName":"Approve","pipelineExecutionId":"11111111-2222-3333-4444-555555555555","retryMode":"FAILED_ACTIONS"}""",
            "RollbackStage" => """{"pipelineName":"conv-pipe","stageName":"Approve","targetPipelineExecutionId":"11111111-2222-3333-4444-555555555555"}""",
            "EnableStageTransition" => """{"pipelineName":"conv-pipe","stageName":"Approve","transitionType":"Inbound"}""",
            "DisableStageTransition" => """{"pipelineName":"conv-pipe","stageName":"Approve","transitionType":"Inbound","reason":"freeze"}""",
            _ => null,
        },
        CodeConnectionsPrefix => ConnectionsInput(operation, codeStar: false),
        CodeStarPrefix => ConnectionsInput(operation, codeStar: true),
        "Logs_20140328" => operation switch
        {
            "GetLogEvents" => $$"""{"logGroupName":"/aws/codebuild/conv-app","logStreamName":"{{_buildId[(_buildId.IndexOf(':', StringComparison.Ordinal) + 1)..]}}"}""",
            "FilterLogEvents" or "DescribeLogStreams" => """{"logGroupName":"/aws/codebuild/conv-app"}""",
            "DescribeLogGroups" => "{}",
            "CreateLogGroup" or "DeleteLogGroup" or "DeleteRetentionPolicy" or "ListTagsLogGroup" => """{"logGroupName":"/conv/group"}""",
            "PutRetentionPolicy" => """{"logGroupName":"/conv/group","retentionInDays":7}""",
            "CreateLogStream" or "DeleteLogStream" => """{"logGroupName":"/conv/group","logStreamName":"s"}""",
            "PutLogEvents" => """{"logGroupName":"/conv/group","logStreamName":"s","logEvents":[{"timestamp":1,"message":"m"}]}""",
            "TagResource" => $$$"""{"resourceArn":"arn:aws:logs:{{{Region}}}:{{{Account}}}:log-group:/conv/group","tags":{"k":"v"}}""",
            "UntagResource" => $$"""{"resourceArn":"arn:aws:logs:{{Region}}:{{Account}}:log-group:/conv/group","tagKeys":["k"]}""",
            "ListTagsForResource" => $$"""{"resourceArn":"arn:aws:logs:{{Region}}:{{Account}}:log-group:/conv/group"}""",
            "TagLogGroup" => """{"logGroupName":"/conv/group","tags":{"k":"v"}}""",
            "UntagLogGroup" => """{"logGroupName":"/conv/group","tags":["k"]}""",
            _ => null,
        },
        "CairnSecrets" => operation switch
        {
            "PutNamingRule" => """{"Pattern":"{app}_{kind}_{detail}","Mode":"warn"}""",
            "GetNamingRules" or "DeleteNamingRule" or "GetSecretsReport" => "{}",
            "GetPolicySuggestion" => """{"RoleName":"conv-role"}""",
            _ => null,
        },
        "secretsmanager" => operation switch
        {
            "CreateSecret" => """{"Name":"conv/new","SecretString":"v"}""",
            "ListSecrets" => "{}",
            "GetRandomPassword" => """{"PasswordLength":16}""",
            "BatchGetSecretValue" => """{"SecretIdList":["conv/secret"]}""",
            "PutSecretValue" => """{"SecretId":"conv/secret","SecretString":"v2"}""",
            "UpdateSecret" => """{"SecretId":"conv/secret","Description":"d"}""",
            "DeleteSecret" => """{"SecretId":"conv/secret","RecoveryWindowInDays":7}""",
            "UpdateSecretVersionStage" => """{"SecretId":"conv/secret","VersionStage":"custom","MoveToVersionId":"00000000-0000-0000-0000-000000000001"}""",
            "TagResource" => """{"SecretId":"conv/secret","Tags":[{"Key":"k","Value":"v"}]}""",
            "UntagResource" => """{"SecretId":"conv/secret","TagKeys":["k"]}""",
            "PutResourcePolicy" => $$"""{"SecretId":"conv/secret","ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::{{Account}}:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"}""",
            "GetSecretValue" or "DescribeSecret" or "RestoreSecret" or "ListSecretVersionIds" or "GetResourcePolicy" or "DeleteResourcePolicy"
                or "CancelRotateSecret" or "StopReplicationToReplica" => """{"SecretId":"conv/secret"}""",
            "ReplicateSecretToRegions" => """{"SecretId":"conv/secret","AddReplicaRegions":[{"Region":"eu-west-1"}]}""",
            "RemoveRegionsFromReplication" => """{"SecretId":"conv/secret","RemoveReplicaRegions":["eu-west-1"]}""",
            // Not RotateImmediately: Cairn runs no rotation function and answers AWS's AccessDeniedException for one it cannot invoke.
            "RotateSecret" => $$"""{"SecretId":"conv/secret","RotationLambdaARN":"arn:aws:lambda:us-east-1:{{Account}}:function:conv","RotationRules":{"AutomaticallyAfterDays":30},"RotateImmediately":false}""",
            _ => null,
        },
        "sts" => operation switch
        {
            "GetCallerIdentity" => new Dictionary<string, string>(),
            "AssumeRole" => new Dictionary<string, string> { ["RoleArn"] = $"arn:aws:iam::{Account}:role/conv-role", ["RoleSessionName"] = "conv-session" },
            "GetSessionToken" => new Dictionary<string, string> { ["DurationSeconds"] = "900" },
            "GetAccessKeyInfo" => new Dictionary<string, string> { ["AccessKeyId"] = _someonesKey },
            "AssumeRoleWithWebIdentity" => new Dictionary<string, string>
            {
                ["RoleArn"] = $"arn:aws:iam::{Account}:role/conv-role", ["RoleSessionName"] = "conv-session", ["WebIdentityToken"] = "not.a.token",
            },
            _ => null,
        },
        // IAM's operations take their entity names from one bag; each reads the members it needs.
        "iam" => new Dictionary<string, string>
        {
            ["UserName"] = "someone", ["RoleName"] = "some-role", ["GroupName"] = "some-group", ["PolicyName"] = "p",
            ["PolicyArn"] = $"arn:aws:iam::{Account}:policy/p", ["PolicyDocument"] = Document,
            ["AssumeRolePolicyDocument"] = RoleTrust, ["AccessKeyId"] = _someonesKey, ["Status"] = "Active", ["VersionId"] = "v1",
            ["Description"] = "d", ["Tags.member.1.Key"] = "k", ["Tags.member.1.Value"] = "v", ["TagKeys.member.1"] = "k",
            ["PolicySourceArn"] = $"arn:aws:iam::{Account}:user/someone", ["ActionNames.member.1"] = "ssm:GetParameter",
            ["PolicyInputList.member.1"] = Document, ["Password"] = "Conv-Password-1!", ["OldPassword"] = "Conv-Password-1!",
            ["NewPassword"] = "Conv-Password-2!", ["AccountAlias"] = "conv-alias",
            ["PermissionsBoundary"] = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
            ["Url"] = "https://conv.example.com", ["OpenIDConnectProviderArn"] = $"arn:aws:iam::{Account}:oidc-provider/conv.example.com",
            ["ClientID"] = "conv-client", ["ClientIDList.member.1"] = "conv-client", ["ThumbprintList.member.1"] = new string('a', 40), ["InstanceProfileName"] = "conv-profile", ["AWSServiceName"] = "conv.amazonaws.com",
            ["DeletionTaskId"] = "task/aws-service-role/conv.amazonaws.com/AWSServiceRoleForConv/00000000-0000-0000-0000-000000000001",
        },
        _ => null,
    };

    private static string ActionPrefix(string service) => service switch
    {
        "AmazonSSM" => "ssm",
        "TrentService" => "kms",
        "CodeBuild_20161006" => "codebuild",
        "Logs_20140328" => "logs",
        "CodePipeline_20150709" => "codepipeline",
        CodeConnectionsPrefix => "codeconnections",
        CodeStarPrefix => "codestar-connections",
        "CairnSecrets" => "cairn",
        _ => service,
    };

    private async Task<AwsException?> CallAsync(string service, string operation, object input, RequestContext context)
    {
        try
        {
            if (input is string json)
            {
                await Json(service).InvokeAsync(operation, Parse(json), context, default);
            }
            else
            {
                await Query(service).InvokeAsync(operation, (IReadOnlyDictionary<string, string>)input, context, default);
            }

            return null;
        }
        catch (AwsException error)
        {
            return error;
        }
    }

    private async Task<RequestContext> NewPrincipalAsync(string? policy)
    {
        var root = Context(Principal.Root(Account));
        var name = $"conv-user-{Interlocked.Increment(ref _users)}";
        await Query("iam").InvokeAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = name }, root, default);
        if (policy is not null)
        {
            await Query("iam").InvokeAsync("PutUserPolicy", new Dictionary<string, string> { ["UserName"] = name, ["PolicyName"] = "only", ["PolicyDocument"] = policy }, root, default);
        }

        var key = await Query("iam").InvokeAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = name }, root, default);
        var keyId = key!.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;
        var credential = await _server.Services.GetRequiredService<ICredentialResolver>().FindAsync(keyId, default);
        return Context(credential!.Principal, keyId);
    }

    private static RequestContext Context(Principal principal, string? keyId = null) =>
        new(principal, Region, Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow, keyId);

    private IJsonService Json(string prefix) => _server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == prefix);

    private IQueryService Query(string name) => _server.Services.GetServices<IQueryService>().Single(s => s.SigningName == name);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
