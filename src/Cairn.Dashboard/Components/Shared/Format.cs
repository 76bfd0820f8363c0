using System.Globalization;
using Cairn.Core.Builds;

namespace Cairn.Dashboard.Components.Shared;

/// <summary>How pages write times, durations and statuses: one way everywhere.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => "<1s",
        < 60 => $"{(int)duration.TotalSeconds}s",
        < 3600 => $"{(int)duration.TotalMinutes}m {duration.Seconds}s",
        _ => $"{(int)duration.TotalHours}h {duration.Minutes}m",
    };

    /// <summary>A build's duration so far (running) or in all (complete).</summary>
    public static string Duration(BuildRecord build, DateTimeOffset now) => Duration((build.EndTime ?? now) - build.StartTime);

    /// <summary>The CSS class of a status (SUCCEEDED, FAILED, IN_PROGRESS, ...).</summary>
    public static string StatusClass(string? status) => "status status-" + (status ?? "none").ToLowerInvariant().Replace('_', '-');

    /// <summary>A size in bytes as a person reads it: 512 B, 1.5 KB, 20.3 MB (1024-based).</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
