using System.Collections.Concurrent;

namespace Cairn.Application.Pipelines.Executions;

/// <summary>
/// The last lines runners logged per execution (IActionProgress.Log), kept in memory for a live view; not persisted,
/// and bounded so a chatty action cannot grow the server.
/// </summary>
public sealed class ExecutionActivity
{
    private const int LinesPerExecution = 200;
    private const int Executions = 100;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Add(string executionId, string line)
    {
        var lines = _lines.GetOrAdd(executionId, id =>
        {
            _order.Enqueue(id);
            while (_order.Count > Executions && _order.TryDequeue(out var oldest))
            {
                _lines.TryRemove(oldest, out ConcurrentQueue<string>? _);
            }

            return new ConcurrentQueue<string>();
        });
        lines.Enqueue(line);
        while (lines.Count > LinesPerExecution && lines.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<string> Lines(string executionId) => _lines.TryGetValue(executionId, out var lines) ? lines.ToArray() : [];
}
