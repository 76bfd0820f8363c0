using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>The Secrets Manager operations' input shapes Cairn serves, transcribed from the service model (aws-models/secretsmanager).</summary>
internal static class SecretsManagerShapes
{
    private static readonly StringShape SecretId = new(1, 2048);
    private static readonly StringShape Token = new(32, 64);
    private static readonly StringShape VersionId = new(32, 64);
    private static readonly StringShape Stage = new(1, 256);
    private static readonly StringShape Description = new(Max: 2048);
    private static readonly StringShape KmsKeyId = new(0, 2048);
    private static readonly StringShape SecretString = new(1, 65536, Sensitive: true);
    private static readonly BlobShape SecretBinary = new(1, 65536);
    private static readonly StringShape TypeShape = new(0, 256);
    private static readonly BooleanShape Boolean = new();
    private static readonly NumberShape MaxResults = new(1, 100);
    private static readonly StringShape NextToken = new(1, 4096);
    private static readonly StringShape Policy = new(1, 20480);
    private static readonly ListShape Tags = new(new StructureShape(new MemberShape("Key", new StringShape(1, 128)), new MemberShape("Value", new StringShape(0, 256))));
    private static readonly StringShape Region = new(1, 128, @"^([a-z]+-)+\d+$");
    private static readonly ListShape ReplicaRegions = new(new StructureShape(new MemberShape("Region", Region), new MemberShape("KmsKeyId", KmsKeyId)), 1);

    private static readonly ListShape Filters = new(new StructureShape(
        new MemberShape("Key", new StringShape(Enum: ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"])),
        new MemberShape("Values", new ListShape(new StringShape(Max: 512, Pattern: @"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$"), 1, 10))), Max: 10);

    public static readonly StructureShape CreateSecret = new(
        new MemberShape("Name", new StringShape(1, 512), true),
        new MemberShape("ClientRequestToken", Token),
        new MemberShape("Description", Description),
        new MemberShape("KmsKeyId", KmsKeyId),
        new MemberShape("SecretBinary", SecretBinary),
        new MemberShape("SecretString", SecretString),
        new MemberShape("Tags", Tags),
        new MemberShape("AddReplicaRegions", ReplicaRegions),
        new MemberShape("ForceOverwriteReplicaSecret", Boolean),
        new MemberShape("Type", TypeShape));

    public static readonly StructureShape ReplicateSecretToRegions = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("AddReplicaRegions", ReplicaRegions, true),
        new MemberShape("ForceOverwriteReplicaSecret", Boolean));

    public static readonly StructureShape RemoveRegionsFromReplication = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("RemoveReplicaRegions", new ListShape(Region, 1), true));

    public static readonly StructureShape RotateSecret = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("ClientRequestToken", Token),
        new MemberShape("RotationLambdaARN", new StringShape(0, 2048)),
        new MemberShape("RotationRules", new StructureShape(
            new MemberShape("AutomaticallyAfterDays", new NumberShape(1, 1000, IsLong: true)),
            new MemberShape("Duration", new StringShape(2, 3, "^[0-9]+h$")),
            new MemberShape("ScheduleExpression", new StringShape(1, 256, @"^[0-9A-Za-z\(\)#\?\*\-\/, ]+$")))),
        new MemberShape("ExternalSecretRotationMetadata", new ListShape(new StructureShape(
            new MemberShape("Key", new StringShape(1, 2048)), new MemberShape("Value", new StringShape(1, 2048))))),
        new MemberShape("ExternalSecretRotationRoleArn", new StringShape(20, 2048)),
        new MemberShape("RotateImmediately", Boolean));

    public static readonly StructureShape GetSecretValue = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("VersionId", VersionId),
        new MemberShape("VersionStage", Stage));

    public static readonly StructureShape PutSecretValue = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("ClientRequestToken", Token),
        new MemberShape("SecretBinary", SecretBinary),
        new MemberShape("SecretString", SecretString),
        new MemberShape("VersionStages", new ListShape(Stage, 1, 20)),
        new MemberShape("RotationToken", new StringShape(36, 256, "^[a-zA-Z0-9\\-]+$", Sensitive: true)));

    public static readonly StructureShape UpdateSecret = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("ClientRequestToken", Token),
        new MemberShape("Description", Description),
        new MemberShape("KmsKeyId", KmsKeyId),
        new MemberShape("SecretBinary", SecretBinary),
        new MemberShape("SecretString", SecretString),
        new MemberShape("Type", TypeShape));

    public static readonly StructureShape SecretIdOnly = new(new MemberShape("SecretId", SecretId, true));

    public static readonly StructureShape ListSecrets = new(
        new MemberShape("IncludePlannedDeletion", Boolean),
        new MemberShape("MaxResults", MaxResults),
        new MemberShape("NextToken", NextToken),
        new MemberShape("Filters", Filters),
        new MemberShape("SortOrder", new StringShape(Enum: ["asc", "desc"])),
        new MemberShape("SortBy", new StringShape(Enum: ["created-date", "last-accessed-date", "last-changed-date", "name"])));

    public static readonly StructureShape DeleteSecret = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("RecoveryWindowInDays", new NumberShape(IsLong: true)),
        new MemberShape("ForceDeleteWithoutRecovery", Boolean));

    public static readonly StructureShape TagResource = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("Tags", Tags, true));

    public static readonly StructureShape UntagResource = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("TagKeys", new ListShape(new StringShape(1, 128)), true));

    public static readonly StructureShape ListSecretVersionIds = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("MaxResults", MaxResults),
        new MemberShape("NextToken", NextToken),
        new MemberShape("IncludeDeprecated", Boolean));

    public static readonly StructureShape UpdateSecretVersionStage = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("VersionStage", Stage, true),
        new MemberShape("RemoveFromVersionId", VersionId),
        new MemberShape("MoveToVersionId", VersionId));

    public static readonly StructureShape PutResourcePolicy = new(
        new MemberShape("SecretId", SecretId, true),
        new MemberShape("ResourcePolicy", Policy, true),
        new MemberShape("BlockPublicPolicy", Boolean));

    public static readonly StructureShape GetRandomPassword = new(
        new MemberShape("PasswordLength", new NumberShape(1, 4096, IsLong: true)),
        new MemberShape("ExcludeCharacters", new StringShape(0, 4096)),
        new MemberShape("ExcludeNumbers", Boolean),
        new MemberShape("ExcludePunctuation", Boolean),
        new MemberShape("ExcludeUppercase", Boolean),
        new MemberShape("ExcludeLowercase", Boolean),
        new MemberShape("IncludeSpace", Boolean),
        new MemberShape("RequireEachIncludedType", Boolean));

    public static readonly StructureShape BatchGetSecretValue = new(
        new MemberShape("SecretIdList", new ListShape(SecretId, 1, 20)),
        new MemberShape("Filters", Filters),
        new MemberShape("MaxResults", new NumberShape(1, 20)),
        new MemberShape("NextToken", NextToken));
}
