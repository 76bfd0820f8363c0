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

/// <summary>
/// The same contract with the commands run as an unprivileged user, as a root server runs host builds: everything the
/// commands must write (source, scripts, the exported variables' file) is theirs. Where the tests do not run as root
/// there is no other user to switch to, and this is the sandbox of the class above.
/// </summary>
public sealed class SandboxAsBuildUserExecutorTests : ExecutorContractTests
{
    private protected override (IBuildExecutor Executor, Func<BuildRequest, BuildRequest> Environment) Create(BuildHarness harness)
    {
        var sandbox = new SandboxPlacement(new SandboxSettings
        {
            SourceDirectory = harness.Source,
            WritableDirectories = [harness.Output],
            User = Environment.UserName == "root" ? new BuildUser(65534, 65534) : null,
        });
        return (new BuildExecutor(), request => request with { Placement = sandbox });
    }
}
