using System.Globalization;

namespace Cairn.Core.Pipelines.Conditions;

/// <summary>
/// The DeploymentWindow rule's <c>Cron</c>: AWS's (Quartz's) form, six fields and an optional year — seconds (only
/// <c>*</c> or 0: a window is whole minutes), minutes, hours, day-of-month (<c>? L L-n nW LW</c>), month (1-12 or
/// JAN-DEC), day-of-week (1-7 = SUN-SAT, <c>? L nL n#k</c>), year. A window is open during every minute the expression
/// matches, read in the rule's <c>TimeZone</c>.
/// </summary>
public sealed class DeploymentWindowCron
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly Func<DateTime, bool>[] _fields;

    private DeploymentWindowCron(string expression, Func<DateTime, bool>[] fields)
    {
        Expression = expression;
        _fields = fields;
    }

    public string Expression { get; }

    /// <summary>The parsed expression, or null with <paramref name="error"/> saying what is wrong and how to write it.</summary>
    public static DeploymentWindowCron? TryParse(string expression, out string? error)
    {
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 6 or > 7)
        {
            error = $"has {parts.Length} fields; AWS's cron has 6 (seconds minutes hours day-of-month month day-of-week) and an optional year, e.g. \"* 0-59 9-16 ? * MON-FRI *\" for weekdays 09:00 to 16:59";
            return null;
        }

        if (parts[0] is not ("*" or "0"))
        {
            error = $"sets seconds to '{parts[0]}'; a deployment window is whole minutes, so the seconds field is *";
            return null;
        }

        var dom = parts[3];
        var dow = parts[5];
        if (dom is not ("?" or "*") && dow is not ("?" or "*"))
        {
            error = $"sets both day-of-month ('{dom}') and day-of-week ('{dow}'); give one and '?' in the other";
            return null;
        }

        try
        {
            var fields = new List<Func<DateTime, bool>>
            {
                Numeric(parts[1], 0, 59, null, t => t.Minute, "minutes"),
                Numeric(parts[2], 0, 23, null, t => t.Hour, "hours"),
                DayOfMonth(dom),
                Numeric(parts[4], 1, 12, Months, t => t.Month, "month"),
                DayOfWeek(dow),
            };
            if (parts.Length == 7)
            {
                fields.Add(Numeric(parts[6], 1970, 2199, null, t => t.Year, "year"));
            }

            error = null;
            return new DeploymentWindowCron(expression, [.. fields]);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>Whether the window is open at <paramref name="local"/> (a time in the rule's time zone).</summary>
    public bool IsOpen(DateTime local) => _fields.All(f => f(local));

    /// <summary>Whether the window is open at <paramref name="instant"/>, read in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset instant, TimeZoneInfo zone) => IsOpen(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The first minute from <paramref name="from"/> on at which the window is open, looking no further than <paramref name="within"/>; null when it stays shut.</summary>
    public DateTimeOffset? NextOpen(DateTimeOffset from, TimeZoneInfo zone, TimeSpan within)
    {
        if (IsOpen(from, zone))
        {
            return from;
        }

        var minute = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        for (var at = minute.AddMinutes(1); at - from <= within; at = at.AddMinutes(1))
        {
            var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
            if (IsOpen(local))
            {
                return at;
            }

            // Skip what cannot match, not minute by minute (a monthly window is ~40,000 minutes away): a day whose date
            // fields fail goes to about an hour before its end (the hour kept for a DST change within the day), an hour
            // that fails to its last minute; offsets change on hour boundaries, so no open minute is stepped over.
            if (!DayMatches(local) && (23 - local.Hour) * 60 + (59 - local.Minute) - 60 is > 0 and var toLateEvening)
            {
                at = at.AddMinutes(toLateEvening);
            }
            else if (!_fields[1](local))
            {
                at = at.AddMinutes(59 - local.Minute);
            }
        }

        return null;
    }

    /// <summary>Whether the date fields (day-of-month, month, day-of-week, year) match <paramref name="local"/>'s day.</summary>
    private bool DayMatches(DateTime local)
    {
        for (var i = 2; i < _fields.Length; i++)
        {
            if (!_fields[i](local))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rule's TimeZone: an IANA name ("Europe/Paris"), "UTC", or a common abbreviation (PST, EST, CET, ...); null when unknown.</summary>
    public static TimeZoneInfo? Zone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "UTC" or "GMT" or "Z")
        {
            return TimeZoneInfo.Utc;
        }

        var id = Abbreviations.GetValueOrDefault(name.ToUpperInvariant(), name);
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["PST"] = "America/Los_Angeles", ["PDT"] = "America/Los_Angeles", ["MST"] = "America/Denver", ["MDT"] = "America/Denver",
        ["CST"] = "America/Chicago", ["CDT"] = "America/Chicago", ["EST"] = "America/New_York", ["EDT"] = "America/New_York",
        ["CET"] = "Europe/Paris", ["CEST"] = "Europe/Paris", ["BST"] = "Europe/London", ["IST"] = "Asia/Kolkata", ["JST"] = "Asia/Tokyo",
    };

    private static Func<DateTime, bool> Numeric(string field, int min, int max, string[]? names, Func<DateTime, int> part, string what)
    {
        var allowed = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw new FormatException($"has '{item}' in the {what} field, which is not a value, a range (a-b), a list (a,b) or an increment (a/n)"),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Value(a, min, max, names, what), Value(b, min, max, names, what));
            }
            else
            {
                from = Value(range, min, max, names, what);
                to = step > 1 || item.Contains('/') ? max : from;
            }

            if (from > to)
            {
                throw new FormatException($"has the range '{range}' in the {what} field, which runs backwards; write it lowest first");
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return t => allowed[part(t)];
    }

    private static int Value(string text, int min, int max, string[]? names, string what)
    {
        if (names is not null && Array.IndexOf(names, text.ToUpperInvariant()) is var index and >= 0)
        {
            return index + 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"has '{text}' in the {what} field, which takes {min}-{max}" + (names is null ? string.Empty : $" or {names[0]}-{names[^1]}"));
    }

    private static Func<DateTime, bool> DayOfMonth(string field)
    {
        if (field is "?" or "*")
        {
            return _ => true;
        }

        var matchers = field.Split(',').Select(item =>
        {
            static int Last(DateTime t) => DateTime.DaysInMonth(t.Year, t.Month);
            if (item == "L")
            {
                return (Func<DateTime, bool>)(t => t.Day == Last(t));
            }

            if (item == "LW")
            {
                return t => t.Day == NearestWeekday(t, Last(t));
            }

            if (item.StartsWith("L-", StringComparison.Ordinal) && int.TryParse(item[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset < 31)
            {
                return t => t.Day == Last(t) - offset;
            }

            if (item.EndsWith('W'))
            {
                var day = Value(item[..^1], 1, 31, null, "day-of-month");
                return t => day <= Last(t) && t.Day == NearestWeekday(t, day);
            }

            var plain = Numeric(item, 1, 31, null, t => t.Day, "day-of-month");
            return plain;
        }).ToList();
        return t => matchers.Any(m => m(t));
    }

    /// <summary>Quartz's W: the weekday nearest to <paramref name="day"/> within the same month.</summary>
    private static int NearestWeekday(DateTime t, int day)
    {
        var date = new DateTime(t.Year, t.Month, day);
        var last = DateTime.DaysInMonth(t.Year, t.Month);
        return date.DayOfWeek switch
        {
            System.DayOfWeek.Saturday => day == 1 ? 3 : day - 1,
            System.DayOfWeek.Sunday => day == last ? day - 2 : day + 1,
            _ => day,
        };
    }

    private static Func<DateTime, bool> DayOfWeek(string field)
    {
        if (field is "?" or "*")
        {
            return _ => true;
        }

        static int Dow(DateTime t) => (int)t.DayOfWeek + 1;
        var matchers = field.Split(',').Select(item =>
        {
            if (item == "L")
            {
                return (Func<DateTime, bool>)(t => Dow(t) == 7);
            }

            if (item.Length > 1 && item.EndsWith('L'))
            {
                var day = Value(item[..^1], 1, 7, Days, "day-of-week");
                return t => Dow(t) == day && t.Day + 7 > DateTime.DaysInMonth(t.Year, t.Month);
            }

            if (item.Split('#') is [var d, var n])
            {
                var day = Value(d, 1, 7, Days, "day-of-week");
                var nth = Value(n, 1, 5, null, "day-of-week (n of d#n)");
                return t => Dow(t) == day && (t.Day - 1) / 7 + 1 == nth;
            }

            return Numeric(item, 1, 7, Days, Dow, "day-of-week");
        }).ToList();
        return t => matchers.Any(m => m(t));
    }
}
