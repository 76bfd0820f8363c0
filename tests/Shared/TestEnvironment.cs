using System.Runtime.CompilerServices;

namespace Cairn.Tests;

/// <summary>What every server these tests start (in-process or as `cairn serve`) reads from the environment.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// Tests keep their build sources (directories, file:// git repositories) in temporary directories: the servers may
    /// build from there. A test that needs a refused location uses one outside it.
    /// </summary>
    [ModuleInitializer]
    internal static void AllowTemporarySources() =>
        Environment.SetEnvironmentVariable("CAIRN_SOURCE_ROOTS", Path.GetTempPath().TrimEnd('/'));
}
