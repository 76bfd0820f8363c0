using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Builds;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Tests.Builds;

/// <summary>A temporary source tree and a way to run a buildspec in it with real shells, capturing the log.</summary>
internal sealed class BuildHarness : IDisposable
{
    // One root per harness: a sandbox keeps its wrapper beside the source (in <root>/sandbox), so sources side by side
    // in /tmp would share it between tests running in parallel.
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-build-").FullName;

    public BuildHarness()
    {
        Source = Directory.CreateDirectory(Path.Combine(_root, "src")).FullName;
        Output = Directory.CreateDirectory(Path.Combine(_root, "out")).FullName;
    }

    public string Source { get; }

    public string Output { get; }

    public FakeSecretSource Secrets { get; } = new();

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Source, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public BuildRequest Request(string yaml) => new()
    {
        Buildspec = BuildspecParser.Parse(yaml),
        SourceDirectory = Source,
        Identity = new BuildIdentity("demo", "demo:6f1c2e0a-0000-4000-8000-000000000001", 7, "tester"),
        Secrets = Secrets,
        ArtifactsDirectory = Path.Combine(Output, "artifacts"),
        CacheDirectory = Path.Combine(Output, "cache"),
        StopGracePeriod = TimeSpan.FromMilliseconds(300),
    };

    public async Task<(BuildResult Result, string Log)> RunAsync(string yaml, Func<BuildRequest, BuildRequest>? change = null, BuildCancellation? cancellation = null)
    {
        var request = Request(yaml);
        request = change?.Invoke(request) ?? request;
        using var log = new OutputCapture();
        var result = await new BuildExecutor().RunAsync(request, log, cancellation);
        return (result, log.Text);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
    }
}
