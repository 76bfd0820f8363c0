namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>One Server-Sent Event as a browser's EventSource parses it: its type ("message" by default), id and data.</summary>
public sealed record ServerSentEvent(string Type, string? Id, string Data);

/// <summary>Reads Server-Sent Events from a response stream, one at a time, as EventSource does (fields, blank line ends an event).</summary>
public sealed class ServerSentEvents(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? type = null, id = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new ServerSentEvent(type ?? "message", id, string.Join('\n', data));
                }

                (type, id) = (null, null);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Add(value); break;
            }
        }

        return null;
    }

    /// <summary>Events until one of type <paramref name="type"/> (included) or the stream's end.</summary>
    public async Task<List<ServerSentEvent>> UntilAsync(string type, CancellationToken cancellationToken)
    {
        var events = new List<ServerSentEvent>();
        while (await NextAsync(cancellationToken) is { } next)
        {
            events.Add(next);
            if (next.Type == type)
            {
                break;
            }
        }

        return events;
    }

    public void Dispose() => _reader.Dispose();
}
