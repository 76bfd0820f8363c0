using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Cairn.Server.Hosting;

/// <summary>
/// `cairn serve`'s console lines: the time and the message, with the level only when it is a warning or worse
/// (access-log and build lines read as a log, not as framework output). Exceptions keep their stack trace.
/// </summary>
internal sealed class CairnConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "cairn";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error => "error: ",
            LogLevel.Critical => "critical: ",
            _ => string.Empty,
        };
        textWriter.Write($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {level}{message}\n");
        if (logEntry.Exception is { } error)
        {
            textWriter.Write($"{error}\n");
        }
    }
}
