using System.Text.Json.Nodes;

namespace Cairn.Compat.Tests.Harness;

/// <summary>What a client process did: exit code and everything it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Stdout as JSON; fails the test with the process's output when it did not succeed or printed no JSON.</summary>
    public JsonNode Json()
    {
        EnsureSuccess();
        return JsonNode.Parse(Stdout) ?? throw new Xunit.Sdk.XunitException($"Expected JSON on stdout, got nothing.\nstderr: {Stderr}");
    }

    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new Xunit.Sdk.XunitException($"Client exited with {ExitCode}.\nstdout: {Stdout}\nstderr: {Stderr}");
        }

        return this;
    }

    /// <summary>Asserts the client failed with this AWS error code (the CLI and botocore both print "(Code)").</summary>
    public ProcessResult EnsureError(string code)
    {
        if (Succeeded || !Stderr.Contains($"({code})", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"Expected the client to fail with {code}; it exited with {ExitCode}.\nstdout: {Stdout}\nstderr: {Stderr}");
        }

        return this;
    }
}
