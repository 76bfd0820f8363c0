namespace Cairn.Core.Pipelines.Lint;

/// <summary>
/// The one table of pipeline diagnostic codes. PL0xx: CodePipeline rejects the declaration (CreatePipeline fails);
/// PL1xx: it is accepted, but an execution fails or does not do what was meant; PL2xx: what the declaration names
/// (projects, roles, parameters) does not exist or is not allowed, checked against a running Cairn.
/// </summary>
public static class PipelineDiagnosticCodes
{
    public const string JsonSyntax = "PL001";
    public const string NotAPipeline = "PL002";
    public const string Rejected = "PL003";

    public const string MalformedVariable = "PL101";
    public const string UnknownNamespace = "PL102";
    public const string VariableNotYetSet = "PL103";
    public const string UnknownPipelineVariable = "PL104";
    public const string UnknownCodePipelineVariable = "PL105";
    public const string UnknownOutputVariable = "PL106";
    public const string ProviderNotInCairn = "PL107";
    public const string BadEnvironmentVariables = "PL108";

    public const string ProjectNotFound = "PL201";
    public const string PipelineRoleMissingPermission = "PL202";
    public const string BuildRoleMissingPermission = "PL203";
    public const string ParameterNotFound = "PL204";
    public const string RoleNotFound = "PL205";
}
