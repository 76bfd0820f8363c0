using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines.Conditions;

namespace Cairn.Core.Secrets;

/// <summary>
/// RotateSecret's RotationRules as Secrets Manager reads them: AutomaticallyAfterDays (1-1000) or a ScheduleExpression,
/// never both — <c>rate(N hours)</c> (4-23, windows from midnight), <c>rate(N days)</c> (1-1000) or
/// <c>cron(minutes hours day-of-month month day-of-week year)</c> in UTC — and a Duration (<c>Nh</c>) that keeps the
/// window inside its UTC day. <see cref="NextRotation"/> is the end of the next window, as NextRotationDate shows it.
/// </summary>
public sealed partial class RotationSchedule
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly int? _days;
    private readonly int? _hours;
    private readonly DeploymentWindowCron? _cron;
    private readonly bool _cronInHours;
    private readonly TimeSpan? _duration;

    private RotationSchedule(int? days, int? hours, DeploymentWindowCron? cron, bool cronInHours, TimeSpan? duration)
    {
        _days = days;
        _hours = hours;
        _cron = cron;
        _cronInHours = cronInHours;
        _duration = duration;
    }

    /// <summary>The schedule the rules describe; InvalidParameterException saying what to change when they break AWS's rules.</summary>
    public static RotationSchedule Parse(long? automaticallyAfterDays, string? expression, string? duration)
    {
        if (automaticallyAfterDays is not null && expression is not null)
        {
            throw AwsErrors.SecretRotationRules("You can't use both AutomaticallyAfterDays and ScheduleExpression in RotationRules; give one of them (a ScheduleExpression for a schedule in hours or a cron()).");
        }

        var window = ParseDuration(duration);
        if (automaticallyAfterDays is { } after)
        {
            return new RotationSchedule(after is >= 1 and <= 1000 ? (int)after : throw AwsErrors.SecretRotationRules($"AutomaticallyAfterDays must be from 1 to 1000; {after} is not."), null, null, false, window);
        }

        if (expression is null)
        {
            throw AwsErrors.SecretRotationRules("RotationRules needs AutomaticallyAfterDays or ScheduleExpression, e.g. {\"ScheduleExpression\":\"rate(30 days)\"}.");
        }

        if (Rate().Match(expression) is { Success: true } rate)
        {
            var count = int.TryParse(rate.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
            if (rate.Groups[2].Value.StartsWith("hour", StringComparison.Ordinal))
            {
                if (count is < 4 or > 23)
                {
                    throw AwsErrors.SecretRotationRules($"The schedule expression {expression} is not valid: a rate in hours must be from 4 to 23 hours (a secret rotates at most every four hours); use rate(N days) for a day or more.");
                }

                if (window is { } w && w > TimeSpan.FromHours(count))
                {
                    throw AwsErrors.SecretRotationRules($"The Duration {duration} is longer than the {count} hours between rotation windows; make it at most {count}h.");
                }

                return new RotationSchedule(null, count, null, false, window);
            }

            return new RotationSchedule(count is >= 1 and <= 1000 ? count : throw AwsErrors.SecretRotationRules($"The schedule expression {expression} is not valid: a rate in days must be from 1 to 1000 days."), null, null, false, window);
        }

        if (Cron().Match(expression) is { Success: true } cron)
        {
            var fields = cron.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 6)
            {
                throw AwsErrors.SecretRotationRules($"The schedule expression {expression} is not valid: a cron() has 6 fields (minutes hours day-of-month month day-of-week year), e.g. cron(0 16 1,15 * ? *); this one has {fields.Length}.");
            }

            var parsed = DeploymentWindowCron.TryParse("0 " + string.Join(' ', fields), out var error)
                ?? throw AwsErrors.SecretRotationRules($"The schedule expression {expression} is not valid: it {error}.");
            return new RotationSchedule(null, null, parsed, fields[1].IndexOfAny(['*', '/', ',', '-']) >= 0, window);
        }

        throw AwsErrors.SecretRotationRules($"The schedule expression {expression} is not valid: write rate(N hours), rate(N days) or cron(minutes hours day-of-month month day-of-week year), in UTC.");
    }

    /// <summary>
    /// The end of the first rotation window after <paramref name="since"/> (the last rotation, or the last new value, which
    /// AWS counts as one): NextRotationDate. Null when a cron() matches nothing within about two years.
    /// </summary>
    public DateTimeOffset? NextRotation(DateTimeOffset since)
    {
        var midnight = new DateTimeOffset(since.UtcDateTime.Date, TimeSpan.Zero);
        DateTimeOffset start;
        TimeSpan length;
        if (_days is { } days)
        {
            (start, length) = (midnight + TimeSpan.FromDays(days), _duration ?? Day);
        }
        else if (_hours is { } hours)
        {
            // Windows start at midnight and every N hours after it within the UTC day.
            start = midnight;
            while (start <= since)
            {
                var next = start + TimeSpan.FromHours(hours);
                start = next.UtcDateTime.Date == start.UtcDateTime.Date ? next : new DateTimeOffset(next.UtcDateTime.Date, TimeSpan.Zero);
            }

            length = _duration ?? TimeSpan.FromHours(1);
        }
        else
        {
            var nextMinute = new DateTimeOffset(since.UtcTicks - (since.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
            if (_cron!.NextOpen(nextMinute, TimeZoneInfo.Utc, TimeSpan.FromDays(800)) is not { } open)
            {
                return null;
            }

            (start, length) = (open, _duration ?? (_cronInHours ? TimeSpan.FromHours(1) : Day));
        }

        var endOfDay = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero) + Day;
        var end = start + length < endOfDay ? start + length : endOfDay;
        return end.AddSeconds(-1);
    }

    private static TimeSpan? ParseDuration(string? duration)
    {
        if (duration is null)
        {
            return null;
        }

        var hours = duration.EndsWith('h') && int.TryParse(duration.AsSpan(0, duration.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 0;
        return hours is >= 1 and <= 24
            ? TimeSpan.FromHours(hours)
            : throw AwsErrors.SecretRotationRules($"The Duration {duration} is not valid: give whole hours from 1h to 24h; the window must end within its UTC day.");
    }

    [GeneratedRegex(@"^rate\((\d{1,4}) (hours?|days?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();

    [GeneratedRegex(@"^cron\((.*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Cron();
}
