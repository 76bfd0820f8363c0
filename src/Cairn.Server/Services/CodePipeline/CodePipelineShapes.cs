using System.Text.RegularExpressions;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>
/// The CodePipeline operations' input shapes, transcribed from the service model (aws-models/codepipeline). What the
/// model cannot say (2 to 50 stages, source actions first, artifacts, configuration keys) is Core's PipelineStructure.
/// </summary>
internal static partial class CodePipelineShapes
{
    private const string NamePattern = @"[A-Za-z0-9.@\-_]+";
    private const string ArtifactNamePattern = @"[a-zA-Z0-9_\-]+";
    private const string TypeIdPattern = "[0-9A-Za-z_-]+";

    private static readonly StringShape Name = new(1, 100, NamePattern);
    private static readonly StringShape RoleArn = new(Max: 1024, Pattern: @"arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*", Matcher: RoleArnRegex());
    private static readonly StringShape Region = new(4, 30);
    private static readonly NumberShape Timeout = new(5, 86400);
    private static readonly StringShape ResultEnum = new(Enum: ["ROLLBACK", "FAIL", "RETRY", "SKIP"]);
    private static readonly ListShape Commands = new(new StringShape(1, 1000), 1, 50);
    private static readonly ListShape InputArtifacts = new(new StructureShape(new MemberShape("name", new StringShape(1, 100, ArtifactNamePattern), true)));

    private static readonly StructureShape ArtifactStore = new(
        new MemberShape("type", new StringShape(Enum: ["S3"]), true),
        new MemberShape("location", new StringShape(3, 63, @"[a-zA-Z0-9\-\.]+"), true),
        new MemberShape("encryptionKey", new StructureShape(
            new MemberShape("id", new StringShape(1, 400), true),
            new MemberShape("type", new StringShape(Enum: ["KMS"]), true))));

    private static readonly StructureShape ActionTypeId = new(
        new MemberShape("category", new StringShape(Enum: ["Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute"]), true),
        new MemberShape("owner", new StringShape(Enum: ["AWS", "ThirdParty", "Custom"]), true),
        new MemberShape("provider", new StringShape(1, 35, TypeIdPattern), true),
        new MemberShape("version", new StringShape(1, 9, TypeIdPattern), true));

    private static readonly StructureShape Action = new(
        new MemberShape("name", Name, true),
        new MemberShape("actionTypeId", ActionTypeId, true),
        new MemberShape("runOrder", new NumberShape(1, 999)),
        new MemberShape("configuration", new MapShape(new StringShape(1, 50), new StringShape(1, 1000))),
        new MemberShape("commands", Commands),
        new MemberShape("outputArtifacts", new ListShape(new StructureShape(
            new MemberShape("name", new StringShape(1, 100, ArtifactNamePattern), true),
            new MemberShape("files", new ListShape(new StringShape(1, 128), 1, 10))))),
        new MemberShape("inputArtifacts", InputArtifacts),
        new MemberShape("outputVariables", new ListShape(new StringShape(1, 128), 1, 15)),
        new MemberShape("roleArn", RoleArn),
        new MemberShape("region", Region),
        new MemberShape("namespace", new StringShape(1, 100, @"[A-Za-z0-9@\-_]+")),
        new MemberShape("timeoutInMinutes", Timeout),
        new MemberShape("environmentVariables", new ListShape(new StructureShape(
            new MemberShape("name", new StringShape(1, 128, "[A-Za-z0-9_]+"), true),
            new MemberShape("value", new StringShape(1, 2000, ".*"), true),
            new MemberShape("type", new StringShape(Enum: ["PLAINTEXT", "SECRETS_MANAGER"]))), 1, 10)));

    private static readonly StructureShape Rule = new(
        new MemberShape("name", Name, true),
        new MemberShape("ruleTypeId", new StructureShape(
            new MemberShape("category", new StringShape(Enum: ["Rule"]), true),
            new MemberShape("owner", new StringShape(Enum: ["AWS"])),
            new MemberShape("provider", new StringShape(1, 35, TypeIdPattern), true),
            new MemberShape("version", new StringShape(1, 9, TypeIdPattern))), true),
        new MemberShape("configuration", new MapShape(new StringShape(1, 50), new StringShape(1, 10000))),
        new MemberShape("commands", Commands),
        new MemberShape("inputArtifacts", InputArtifacts),
        new MemberShape("roleArn", RoleArn),
        new MemberShape("region", Region),
        new MemberShape("timeoutInMinutes", Timeout));

    private static readonly ListShape Conditions = new(new StructureShape(
        new MemberShape("result", ResultEnum),
        new MemberShape("rules", new ListShape(Rule, 1, 5))), 1, 1);

    private static readonly StructureShape Stage = new(
        new MemberShape("name", Name, true),
        new MemberShape("blockers", new ListShape(new StructureShape(
            new MemberShape("name", new StringShape(1, 100), true),
            new MemberShape("type", new StringShape(Enum: ["Schedule"]), true)))),
        new MemberShape("actions", new ListShape(Action), true),
        new MemberShape("onFailure", new StructureShape(
            new MemberShape("result", ResultEnum),
            new MemberShape("retryConfiguration", new StructureShape(new MemberShape("retryMode", new StringShape(Enum: ["FAILED_ACTIONS", "ALL_ACTIONS"])))),
            new MemberShape("conditions", Conditions))),
        new MemberShape("onSuccess", new StructureShape(new MemberShape("conditions", Conditions, true))),
        new MemberShape("beforeEntry", new StructureShape(new MemberShape("conditions", Conditions, true))));

    private static readonly StructureShape GitFilter = new(
        new MemberShape("includes", new ListShape(new StringShape(1, 255), 1, 8)),
        new MemberShape("excludes", new ListShape(new StringShape(1, 255), 1, 8)));

    private static readonly StructureShape Trigger = new(
        new MemberShape("providerType", new StringShape(Enum: ["CodeStarSourceConnection"]), true),
        new MemberShape("gitConfiguration", new StructureShape(
            new MemberShape("sourceActionName", Name, true),
            new MemberShape("push", new ListShape(new StructureShape(
                new MemberShape("tags", GitFilter),
                new MemberShape("branches", GitFilter),
                new MemberShape("filePaths", GitFilter)), 1, 3)),
            new MemberShape("pullRequest", new ListShape(new StructureShape(
                new MemberShape("events", new ListShape(new StringShape(Enum: ["OPEN", "UPDATED", "CLOSED"]), 1, 3)),
                new MemberShape("branches", GitFilter),
                new MemberShape("filePaths", GitFilter)), 1, 3))), true));

    private static readonly StructureShape Pipeline = new(
        new MemberShape("name", Name, true),
        new MemberShape("roleArn", RoleArn, true),
        new MemberShape("artifactStore", ArtifactStore),
        new MemberShape("artifactStores", new MapShape(Region, ArtifactStore)),
        new MemberShape("stages", new ListShape(Stage), true),
        new MemberShape("version", new NumberShape(1)),
        new MemberShape("executionMode", new StringShape(Enum: ["QUEUED", "SUPERSEDED", "PARALLEL"])),
        new MemberShape("pipelineType", new StringShape(Enum: ["V1", "V2"])),
        new MemberShape("variables", new ListShape(new StructureShape(
            new MemberShape("name", new StringShape(1, 128, @"[A-Za-z0-9@\-_]+"), true),
            new MemberShape("defaultValue", new StringShape(1, 1000, ".*")),
            new MemberShape("description", new StringShape(0, 200, ".*"))), Max: 50)),
        new MemberShape("triggers", new ListShape(Trigger, Max: 50)));

    private static readonly ListShape Tags = new(new StructureShape(
        new MemberShape("key", new StringShape(1, 128), true),
        new MemberShape("value", new StringShape(0, 256), true)));

    private static readonly StringShape NextToken = new(1, 2048);
    private static readonly StringShape ResourceArn = new(Pattern: @"arn:aws(-[\w]+)*:codepipeline:.+:[0-9]{12}:.+", Matcher: ResourceArnRegex());

    public static readonly StructureShape CreatePipeline = new(new MemberShape("pipeline", Pipeline, true), new MemberShape("tags", Tags));

    public static readonly StructureShape UpdatePipeline = new(new MemberShape("pipeline", Pipeline, true));

    public static readonly StructureShape GetPipeline = new(new MemberShape("name", Name, true), new MemberShape("version", new NumberShape(1)));

    public static readonly StructureShape DeletePipeline = new(new MemberShape("name", Name, true));

    public static readonly StructureShape ListPipelines = new(new MemberShape("nextToken", NextToken), new MemberShape("maxResults", new NumberShape(1, 1000)));

    public static readonly StructureShape ListActionTypes = new(
        new MemberShape("actionOwnerFilter", new StringShape(Enum: ["AWS", "ThirdParty", "Custom"])),
        new MemberShape("nextToken", NextToken),
        new MemberShape("regionFilter", Region));

    public static readonly StructureShape TagResource = new(new MemberShape("resourceArn", ResourceArn, true), new MemberShape("tags", Tags, true));

    public static readonly StructureShape UntagResource = new(
        new MemberShape("resourceArn", ResourceArn, true), new MemberShape("tagKeys", new ListShape(new StringShape(1, 128)), true));

    public static readonly StructureShape ListTagsForResource = new(
        new MemberShape("resourceArn", ResourceArn, true), new MemberShape("nextToken", NextToken), new MemberShape("maxResults", new NumberShape(1, 100)));

    // The model's \w is ASCII (Java); .NET's would take any letter.
    [GeneratedRegex(@"\Aarn:aws(-[A-Za-z0-9_]+)*:iam::[0-9]{12}:role/.*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnRegex();

    [GeneratedRegex(@"\Aarn:aws(-[A-Za-z0-9_]+)*:codepipeline:.+:[0-9]{12}:.+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceArnRegex();
}
