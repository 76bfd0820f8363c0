using System.Text.Json.Nodes;

namespace Cairn.Compat.Tests.Infrastructure;

/// <summary>What a client process printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("empty output");

    /// <summary>Asserts success and returns the JSON output.</summary>
    public JsonNode Ok()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return Stdout.Trim().Length == 0 ? new JsonObject() : Json;
    }

    /// <summary>Asserts the command failed with the given AWS error code and returns stderr.</summary>
    public string Fails(string errorCode)
    {
        Assert.True(ExitCode != 0, $"expected {errorCode}, but it succeeded: {Stdout}");
        Assert.Contains($"({errorCode})", Stderr, StringComparison.Ordinal);
        return Stderr;
    }
}
