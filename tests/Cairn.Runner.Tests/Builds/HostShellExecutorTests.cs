using Cairn.Runner.Builds;

namespace Cairn.Runner.Tests.Builds;

/// <summary>The executor with its shell straight on this host (`cairn build`, and the server with isolation off).</summary>
public sealed class HostShellExecutorTests : ExecutorContractTests
{
    private protected override (IBuildExecutor Executor, Func<BuildRequest, BuildRequest> Environment) Create(BuildHarness harness) =>
        (new BuildExecutor(), request => request);
}
