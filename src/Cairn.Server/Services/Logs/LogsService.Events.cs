using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Storage.Logs;

namespace Cairn.Server.Services.Logs;

/// <summary>PutLogEvents; the sequence token is ignored, as AWS now ignores it.</summary>
internal sealed partial class LogsService
{
    private async Task<JsonObject> PutLogEventsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, LogsShapes.PutLogEvents);
        var events = input["logEvents"]!.AsArray().Select(e => new LogEventInput(
            DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(long.Parse(e!["timestamp"]!.ToJsonString(), CultureInfo.InvariantCulture), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())),
            e["message"]!.GetValue<string>())).ToList();
        var stored = await logs.PutEventsAsync(context, input["logGroupName"]!.GetValue<string>(), input["logStreamName"]!.GetValue<string>(), events, cancellationToken);

        var result = new JsonObject { ["nextSequenceToken"] = SequenceToken(stored.StoredAt) };
        if (stored is { TooNewStartIndex: null, TooOldEndIndex: null, ExpiredEndIndex: null })
        {
            return result;
        }

        var rejected = new JsonObject();
        if (stored.TooNewStartIndex is { } tooNew)
        {
            rejected["tooNewLogEventStartIndex"] = tooNew;
        }

        if (stored.TooOldEndIndex is { } tooOld)
        {
            rejected["tooOldLogEventEndIndex"] = tooOld;
        }

        if (stored.ExpiredEndIndex is { } expired)
        {
            rejected["expiredLogEventEndIndex"] = expired;
        }

        result["rejectedLogEventsInfo"] = rejected;
        return result;
    }

    /// <summary>AWS ignores sequence tokens now but still returns one; any value is accepted back.</summary>
    private static string SequenceToken(DateTimeOffset now) => now.ToUnixTimeMilliseconds().ToString("D56", CultureInfo.InvariantCulture);
}
