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
            TimeSpan? span = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is not null)
            {
                return now - span.Value;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }
}
