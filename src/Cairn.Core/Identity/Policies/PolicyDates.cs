using System.Globalization;

namespace Cairn.Core.Identity.Policies;

/// <summary>
/// Dates as IAM reads them in Date* conditions: ISO 8601 (<c>2020-01-01</c>, <c>2020-01-01T12:00:00Z</c>,
/// <c>2020-01-01T12:00:00.5+02:00</c>) or epoch seconds (<c>1577836800</c>). Anything else fails legacy parsing.
/// </summary>
internal static class PolicyDates
{
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

        var dateFields = datePart.Split('-');
        if (dateFields.Length is < 1 or > 3 || !TryInt(dateFields[0], 1, 9999, out var year))
        {
            return false;
        }

        var month = 1;
        var day = 1;
        if ((dateFields.Length > 1 && !TryInt(dateFields[1], 1, 12, out month))
            || (dateFields.Length > 2 && !TryInt(dateFields[2], 1, DateTime.DaysInMonth(year, month), out day)))
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        var zone = timePart.IndexOfAny(['Z', '+', '-']);
        if (zone >= 0)
        {
            var zoneText = timePart[zone..];
            timePart = timePart[..zone];
            if (zoneText != "Z" && !TryOffset(zoneText, out offset))
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

                    ticks = (long)(double.Parse("0." + fraction, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond);
                    secondText = secondText[..dot];
                }

                if (!TryInt(secondText, 0, 59, out second))
                {
                    return false;
                }
            }
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        return true;
    }

    private static bool TryOffset(string text, out TimeSpan offset)
    {
        offset = default;
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

        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max && text.Length > 0;
}
