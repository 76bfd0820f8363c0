namespace Cairn.EndToEnd.Tests.Infrastructure;

/// <summary>How a CLI run ended and what it printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);
