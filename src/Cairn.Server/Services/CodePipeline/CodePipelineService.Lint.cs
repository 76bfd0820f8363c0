using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Lint;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.CodePipeline;

internal sealed partial class CodePipelineService
{
    /// <summary>
    /// What `cairn pipeline lint` would still say about a pipeline CodePipeline accepted (a variable typo, a provider Cairn
    /// does not run): AWS's answer has no place for it, so the server's log carries it, one line each, with the fix.
    /// </summary>
    private void LogLintWarnings(string operation, PipelineRecord pipeline)
    {
        if (logger is null)
        {
            return;
        }

        foreach (var finding in PipelineLinter.LintDeclaration(pipeline.ToDeclaration()))
        {
            LintFinding(logger, operation, pipeline.Name, pipeline.Version, finding.Code, finding.Path, finding.Message, finding.Hint ?? string.Empty);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} {Pipeline} (version {Version}): {Code} at {Path}: {Finding}; {Fix} (cairn pipeline lint shows every finding)")]
    private static partial void LintFinding(ILogger logger, string operation, string pipeline, int version, string code, string path, string finding, string fix);
}
