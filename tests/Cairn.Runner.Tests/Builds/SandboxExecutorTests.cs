using Cairn.Runner.Builds;
using Cairn.Runner.Sandbox;

namespace Cairn.Runner.Tests.Builds;

/// <summary>The executor with its shell in the bubblewrap sandbox host builds run in on the server.</summary>
public sealed class SandboxExecutorTests : ExecutorContractTests
{
    private protected override (IBuildExecutor Executor, Func<BuildRequest, BuildRequest> Environment) Create(BuildHarness harness)
    {
        var sandbox = new SandboxPlacement(new SandboxSettings
        {
            SourceDirectory = harness.Source,
            WritableDirectories = [harness.Output],
        });
        return (new BuildExecutor(), request => request with { Placement = sandbox });
    }
}
