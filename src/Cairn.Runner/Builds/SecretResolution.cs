using Cairn.Core.Builds;

namespace Cairn.Runner.Builds;

/// <summary>What DOWNLOAD_SOURCE got from the Parameter Store: every value, or the failure to report and its fix.</summary>
internal sealed record SecretResolution(IReadOnlyDictionary<string, ResolvedParameter> Values, PhaseContext? Failure, string? Hint)
{
    public static SecretResolution Fail(string message, string? hint) =>
        new(new Dictionary<string, ResolvedParameter>(), new PhaseContext(SecretResolver.DecryptedVariablesError, message), hint);
}
