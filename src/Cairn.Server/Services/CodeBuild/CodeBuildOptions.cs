namespace Cairn.Server.Services.CodeBuild;

/// <summary>The build service's settings; every default lives here. `cairn serve` reads CAIRN_BUILD_* variables.</summary>
public sealed record CodeBuildOptions
{
    /// <summary>
    /// False for a server that only serves APIs (the one `cairn build` starts in-process): it runs no queued builds and
    /// leaves other servers' running builds alone.
    /// </summary>
    public bool RunsBuilds { get; init; } = true;

    /// <summary>Most builds that run at once in this server; more wait in QUEUED.</summary>
    public int MaxConcurrentBuilds { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Where builds keep their source, logs and artifacts; &lt;data&gt;/builds when null.</summary>
    public string? BuildsDirectory { get; init; }

    /// <summary>The URL a build's `aws` commands and log links use for Cairn; the bound address when null.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The docker CLI used for LINUX_CONTAINER builds.</summary>
    public string DockerCommand { get; init; } = "docker";

    /// <summary>How often a server looks for StopBuild requests made through another server for the builds it runs.</summary>
    public TimeSpan StopPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often queued builds are checked against their queued timeout.</summary>
    public TimeSpan QueueSweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads CAIRN_BUILD_CONCURRENCY, CAIRN_BUILD_ENDPOINT and CAIRN_DOCKER for whatever is unset.</summary>
    public static CodeBuildOptions FromEnvironment(Func<string, string?> getVariable)
    {
        var options = new CodeBuildOptions();
        if (int.TryParse(getVariable("CAIRN_BUILD_CONCURRENCY"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var concurrency) && concurrency > 0)
        {
            options = options with { MaxConcurrentBuilds = concurrency };
        }

        if (getVariable("CAIRN_BUILD_ENDPOINT") is { Length: > 0 } endpoint)
        {
            options = options with { Endpoint = endpoint };
        }

        if (getVariable("CAIRN_DOCKER") is { Length: > 0 } docker)
        {
            options = options with { DockerCommand = docker };
        }

        return options;
    }
}
