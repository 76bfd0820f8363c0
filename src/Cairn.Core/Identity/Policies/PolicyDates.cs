using System.Globalization;

namespace Cairn.Core.Identity.Policies;

/// <summary>
/// Dates as IAM reads them in Date* conditions: ISO 8601 (<c>2020-01-01</c>, <c>2020-01-01T12:00:00Z</c>,
/// <c>2020-01-01T12:00:00.5+02:00</c>) or epoch seconds (<c>1577836800</c>). Anything else fails legacy parsing.
/// IAM's range is wider than <see cref="DateTimeOffset"/>'s (years -292275054 to 292278993, offsets up to ±23:59):
/// an instant outside it is kept as <see cref="DateTimeOffset.MinValue"/> or <see cref="DateTimeOffset.MaxValue"/>,
/// which orders the same against any request time.
/// </summary>
internal static class PolicyDates
{
    private const long MinYear = -292275054;
    private const long MaxYear = 292278993;
    private const long SecondsPerDay = 86_400;

    // Seconds from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the last second DateTimeOffset holds.
    private static readonly long MaxRepresentableSeconds = DateTimeOffset.MaxValue.UtcTicks / TimeSpan.TicksPerSecond;

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.All(char.IsAsciiDigit))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return false;
            }

            value = seconds >= DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        return TryParseIso(text, out value);
    }

    private static bool TryParseIso(string text, out DateTimeOffset value)
    {
        value = default;
        var upper = text.ToUpperInvariant();
        var t = upper.IndexOf('T', StringComparison.Ordinal);
        var datePart = t < 0 ? upper : upper[..t];
        var timePart = t < 0 ? string.Empty : upper[(t + 1)..];

        // A leading '-' is a negative year, as IAM's parser reads it ("-292275054" is a valid date).
        var negativeYear = datePart.StartsWith('-');
        var dateFields = (negativeYear ? datePart[1..] : datePart).Split('-');
        if (dateFields.Length is < 1 or > 3 || !TryLong(dateFields[0], out var year))
        {
            return false;
        }

        year = negativeYear ? -year : year;
        var month = 1;
        var day = 1;
        if (year is < MinYear or > MaxYear
            || (dateFields.Length > 1 && !TryInt(dateFields[1], 1, 12, out month))
            || (dateFields.Length > 2 && !TryInt(dateFields[2], 1, DaysInMonth(year, month), out day)))
        {
            return false;
        }

        var offsetSeconds = 0;
        var zone = timePart.IndexOfAny(['Z', '+', '-']);
        if (zone >= 0)
        {
            var zoneText = timePart[zone..];
            timePart = timePart[..zone];
            if (zoneText != "Z" && !TryOffset(zoneText, out offsetSeconds))
            {
                return false;
            }
        }

        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        if (timePart.Length > 0)
        {
            var timeFields = timePart.Split(':');
            if (timeFields.Length > 3
                || !TryInt(timeFields[0], 0, 23, out hour)
                || (timeFields.Length > 1 && !TryInt(timeFields[1], 0, 59, out minute)))
            {
                return false;
            }

            if (timeFields.Length > 2)
            {
                var secondText = timeFields[2];
                var dot = secondText.IndexOf('.', StringComparison.Ordinal);
                if (dot >= 0)
                {
                    var fraction = secondText[(dot + 1)..];
                    if (fraction.Length is 0 or > 9 || !fraction.All(char.IsAsciiDigit))
                    {
                        return false;
                    }

                    // Ticks are 100 ns: the first seven digits of the fraction.
                    ticks = long.Parse(fraction.PadRight(7, '0')[..7], NumberStyles.None, CultureInfo.InvariantCulture);
                    secondText = secondText[..dot];
                }

                if (!TryInt(secondText, 0, 59, out second))
                {
                    return false;
                }
            }
        }

        // Seconds since 0001-01-01T00:00:00Z, in UTC; cannot overflow for years within IAM's range.
        var utcSeconds = (DaysBeforeYear(year) + DayOfYear(year, month, day)) * SecondsPerDay
            + (hour * 3600L) + (minute * 60L) + second - offsetSeconds;
        value = utcSeconds < 0 ? DateTimeOffset.MinValue
            : utcSeconds > MaxRepresentableSeconds ? DateTimeOffset.MaxValue
            : new DateTimeOffset(Math.Min((utcSeconds * TimeSpan.TicksPerSecond) + ticks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
        return true;
    }

    private static bool TryOffset(string text, out int seconds)
    {
        seconds = 0;
        var sign = text[0] == '-' ? -1 : 1;
        var fields = text[1..].Split(':');
        if (fields.Length > 2 || fields[0].Length != 2 || !TryInt(fields[0], 0, 23, out var hours))
        {
            return false;
        }

        var minutes = 0;
        if (fields.Length == 2 && (fields[1].Length != 2 || !TryInt(fields[1], 0, 59, out minutes)))
        {
            return false;
        }

        seconds = sign * ((hours * 3600) + (minutes * 60));
        return true;
    }

    // Proleptic Gregorian calendar, year 0 and negative years included, counted from 0001-01-01.
    private static long DaysBeforeYear(long year)
    {
        var y = year - 1;
        return (y * 365) + FloorDiv(y, 4) - FloorDiv(y, 100) + FloorDiv(y, 400);
    }

    private static long DayOfYear(long year, int month, int day)
    {
        var days = 0L;
        for (var m = 1; m < month; m++)
        {
            days += DaysInMonth(year, m);
        }

        return days + day - 1;
    }

    private static int DaysInMonth(long year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool IsLeapYear(long year) => FloorMod(year, 4) == 0 && (FloorMod(year, 100) != 0 || FloorMod(year, 400) == 0);

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);

    private static bool TryLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length > 0;

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max && text.Length > 0;
}
