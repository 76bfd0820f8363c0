using System.Globalization;

namespace Cairn.Core.Audit;

/// <summary>How `cairn audit --since` and the dashboard's audit filters read a time: a duration back from now (30m, 2h, 7d) or an ISO 8601 time.</summary>
public static class AuditTimes
{
    public const string Expected = "a duration like 30m, 2h, 7d or an ISO 8601 time like 2026-11-21T06:00:00Z";

    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            double? seconds = text[^1] switch
            {
                's' => amount,
                'm' => amount * 60,
                'h' => amount * 3600,
                'd' => amount * 86400,
                _ => null,
            };
            if (seconds is { } value)
            {
                // A duration reaching before year 1 (or not a number) is no time at all: the caller says what is expected.
                var earliest = (now - DateTimeOffset.MinValue).TotalSeconds;
                return double.IsFinite(value) && value >= 0 && value < earliest ? now - TimeSpan.FromSeconds(value) : null;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }
}
