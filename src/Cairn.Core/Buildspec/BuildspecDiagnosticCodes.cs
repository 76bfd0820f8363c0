namespace Cairn.Core.Buildspec;

/// <summary>
/// The one table of buildspec diagnostic codes. BS0xx: CodeBuild rejects the buildspec (YAML_FILE_ERROR);
/// BS1xx: it runs, but not as the author meant, or not on Cairn.
/// </summary>
public static class BuildspecDiagnosticCodes
{
    /// <summary>The phase context status code CodeBuild reports for a buildspec it cannot read.</summary>
    public const string YamlFileError = "YAML_FILE_ERROR";

    public const string YamlSyntax = "BS001";
    public const string TypeMismatch = "BS002";
    public const string InvalidVersion = "BS003";
    public const string InvalidPhaseName = "BS004";
    public const string CommandIsMapping = "BS005";
    public const string InvalidOnFailure = "BS006";
    public const string DuplicateKey = "BS007";

    public const string UnknownKey = "BS101";
    public const string MultiLineCommandHidesFailures = "BS102";
    public const string UnguardedDockerPush = "BS103";
    public const string DockerPushWithoutLogin = "BS104";
    public const string DynamicReferenceNotPortable = "BS105";
    public const string MalformedDynamicReference = "BS106";
    public const string ReservedVariablePrefix = "BS107";
    public const string SecretsManagerNotSupported = "BS108";
    public const string ParameterNotFound = "BS109";
    public const string LegacyVersion = "BS110";
    public const string MissingRequiredKey = "BS111";
    public const string InvalidValue = "BS112";
    public const string DirectoryNotFound = "BS113";
    public const string PlaintextSecret = "BS114";
    public const string NotExportable = "BS115";
    public const string DeprecatedKey = "BS116";
    public const string UndefinedVariable = "BS117";
    public const string PathNotFound = "BS118";
    public const string NamingRule = "BS119";

    /// <summary>Every code with a one-line description, for `cairn lint --help` and the docs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All { get; } =
    [
        new(YamlSyntax, "the file is not valid YAML"),
        new(TypeMismatch, "a value has the wrong shape (a list where a string belongs, ...)"),
        new(InvalidVersion, "version is missing or not 0.1 / 0.2"),
        new(InvalidPhaseName, "a phase other than install, pre_build, build, post_build"),
        new(CommandIsMapping, "a command YAML read as a key/value pair because of ': '"),
        new(InvalidOnFailure, "on-failure is not ABORT, CONTINUE or RETRY[-count][-regex]"),
        new(DuplicateKey, "the same key twice in one mapping"),
        new(UnknownKey, "a key CodeBuild does not know and silently ignores"),
        new(MultiLineCommandHidesFailures, "a multi-line command whose earlier lines' failures are ignored"),
        new(UnguardedDockerPush, "docker push in post_build runs even when the build failed"),
        new(DockerPushWithoutLogin, "docker push with no docker login anywhere in the buildspec"),
        new(DynamicReferenceNotPortable, "{{resolve:...}} is a Cairn extension; AWS CodeBuild passes it through literally"),
        new(MalformedDynamicReference, "a {{resolve:...}} reference Cairn cannot read"),
        new(ReservedVariablePrefix, "a variable named CODEBUILD_*, a prefix CodeBuild reserves"),
        new(SecretsManagerNotSupported, "{{resolve:secretsmanager:...}} references are not yet resolved by Cairn (env.secrets-manager is)"),
        new(ParameterNotFound, "a Parameter Store parameter that does not exist"),
        new(LegacyVersion, "version 0.1 runs every command in its own shell"),
        new(MissingRequiredKey, "a section without its required key (artifacts.files, reports.*.files, cache.paths)"),
        new(InvalidValue, "a value outside the allowed set (yes/no, file-format, shell, ...)"),
        new(DirectoryNotFound, "cd into a directory the source does not have"),
        new(PlaintextSecret, "a secret-looking plaintext variable"),
        new(NotExportable, "an exported variable CodeBuild will not export"),
        new(DeprecatedKey, "a key CodeBuild accepts but ignores"),
        new(UndefinedVariable, "a variable used in a command that nothing defines"),
        new(PathNotFound, "a command argument naming a file or directory the source does not have"),
        new(NamingRule, "a parameter-store or secrets-manager reference that breaks the account's naming rule"),
    ];
}
