namespace Cairn.Core.Errors;

/// <summary>
/// How a pipeline's CodeBuild action fails, as GetPipelineState's errorDetails shows it: CodePipeline's failure types
/// (JobFailed, ConfigurationError) as the code. A failed build is AWS's "Build terminated with state: ..." text; a call
/// CodeBuild refused is AWS's "Error calling startBuild: ..." text. Texts marked "verify" are Cairn's, with the fix.
/// </summary>
public static partial class AwsErrors
{
    public const string JobFailed = "JobFailed";
    public const string ConfigurationError = "ConfigurationError";

    public static AwsException BuildTerminated(string status, string phase, string? code, string? message, string? hint) =>
        new(JobFailed, $"Build terminated with state: {status}. Phase: {phase}, Code: {code ?? "null"}, Message: {message ?? "null"}"
            + (hint is null ? string.Empty : " Cairn: " + hint));

    /// <summary>AWS's SDK wording of a refused call, then Cairn's fix when there is one.</summary>
    public static AwsException CodeBuildCallFailed(string operation, AwsException error, string requestId, string? fix) =>
        new(JobFailed, $"Error calling {operation}: {error.Message} (Service: AWSCodeBuild; Status Code: 400; Error Code: {error.Code}; Request ID: {requestId})"
            + (fix is null ? string.Empty : "\n" + fix));

    /// <summary>verify.</summary>
    public static AwsException PipelineRoleLacksCodeBuild(string roleName, string policyName, string statement, string document) =>
        new(JobFailed, $"The pipeline's role {roleName} may not run the build. It lacks this policy statement:\n{statement}\nAdd it with:\n"
            + $"aws iam put-role-policy --role-name {roleName} --policy-name {policyName} --policy-document '{document}'");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionConfiguration(string message) => new(ConfigurationError, message);

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionBatchUnavailable() =>
        CodeBuildActionConfiguration("BatchEnabled is true, but batch builds are not available in Cairn; remove BatchEnabled (and CombineArtifacts) "
            + "from the action's configuration, or set it to false, to run one build.");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionMissingProject() =>
        CodeBuildActionConfiguration("The action's configuration has no ProjectName; set it to the name of the CodeBuild project to build.");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionPrimarySourceRequired(IEnumerable<string> inputs) =>
        CodeBuildActionConfiguration($"The action has several input artifacts ({string.Join(", ", inputs)}), so its configuration needs PrimarySource: "
            + "the one whose directory holds the buildspec and where the commands run.");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionUnknownPrimarySource(string primary, IReadOnlyList<string> inputs) =>
        CodeBuildActionConfiguration(primary, inputs, Buildspec.DidYouMean.Suggest(primary, inputs));

    private static AwsException CodeBuildActionConfiguration(string primary, IReadOnlyList<string> inputs, string? suggestion) =>
        CodeBuildActionConfiguration($"PrimarySource '{primary}' is not one of the action's input artifacts ({string.Join(", ", inputs)})"
            + (suggestion is null ? "." : $"; did you mean '{suggestion}'?"));

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionVariables(string problem) =>
        CodeBuildActionConfiguration($"The action's EnvironmentVariables configuration is not valid: {problem}. Write it as a JSON array such as "
            + "[{\"name\":\"STAGE\",\"value\":\"prod\",\"type\":\"PLAINTEXT\"},{\"name\":\"TOKEN\",\"value\":\"/app/token\",\"type\":\"PARAMETER_STORE\"}].");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionSecretsManager(string name) =>
        CodeBuildActionConfiguration($"The environment variable {name} has type SECRETS_MANAGER, and Secrets Manager is not available in Cairn. Store the "
            + $"secret as a SecureString parameter (aws ssm put-parameter --type SecureString --name /your/secret --value ...) and give {name} "
            + "type PARAMETER_STORE with the parameter's name as its value.");

    /// <summary>verify.</summary>
    public static AwsException CodeBuildActionBuildGone(string buildId) =>
        new(JobFailed, $"The build {buildId} this action started no longer exists (deleted with batch-delete-builds); retry the stage to run a new build.");

    /// <summary>The build succeeded without recording the location of an output artifact the action declares.</summary>
    public static AwsException CodeBuildActionOutputMissing(string name, string buildId) =>
        new(JobFailed, $"The build {buildId} succeeded but recorded no output artifact {name}; retry the stage.");

    /// <summary>The database did not answer the action's reads of its build for as long as the action waits for it.</summary>
    public static AwsException CodeBuildActionDatabaseUnavailable(string buildId, TimeSpan waited, string detail) =>
        new(JobFailed, $"Could not read build {buildId} for {waited.TotalMinutes:0.#} minutes: Cairn's database did not answer ({detail}). "
            + $"The build may still be running: once the database is back, see it with aws codebuild batch-get-builds --ids {buildId}, then retry the stage.");
}
