using Cairn.Core.Builds;
namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    /// <summary>Says once, before any command runs, which String parameters masking hides and how to leave them readable.</summary>
    private void WriteMaskingNotice(BuildEnvironment environment)
    {
        if (environment.MaskedStringParameters.Count > 0)
        {
            _sink.Say($"Masking the values of String parameters {string.Join(", ", environment.MaskedStringParameters)} as CodeBuild does "
                + $"(every Parameter Store value shows as ***). To leave String parameters readable, set {BuildEnvironment.UnmaskStringParametersVariable}=true "
                + "in env.variables or the project's environment variables (cairn build: --unmask-string-parameters); SecureString values are always masked.");
        }

        if (environment.UnmaskedStringParameters.Count > 0)
        {
            _sink.Say($"Leaving the values of String parameters {string.Join(", ", environment.UnmaskedStringParameters)} readable "
                + $"({BuildEnvironment.UnmaskStringParametersVariable}); SecureString values are masked.");
        }
    }
}
