namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>One line of a build's log as CloudWatch Logs serves it: its position, when it was written, its text with its newline.</summary>
internal sealed record LogEvent(long Index, DateTimeOffset Timestamp, string Message);
