using System.Diagnostics;

namespace Cairn.Server.Tests;

/// <summary>The real aws CLI against a server on a port, as the given keys, with no profile or config of this machine.</summary>
internal static class AwsCli
{
    /// <summary>Runs <c>aws</c> with JSON output; fails the test with its stderr when it exits non-zero.</summary>
    public static async Task<string> RunAsync(Uri endpoint, string region, (string KeyId, string Secret) keys, params string[] arguments)
    {
        var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region, "--output", "json", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = keys.KeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = keys.Secret;
        start.Environment.Remove("AWS_PROFILE");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
