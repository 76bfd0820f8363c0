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
}
