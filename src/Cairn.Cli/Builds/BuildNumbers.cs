using System.Globalization;

namespace Cairn.Cli.Builds;

/// <summary>CODEBUILD_BUILD_NUMBER for local builds: one counter per project in &lt;data&gt;/builds/&lt;project&gt;/last-number.</summary>
internal static class BuildNumbers
{
    public static long Next(string dataDirectory, string project)
    {
        if (!Directory.Exists(dataDirectory))
        {
            // The same directory may later hold the database and the master key: owner-only from the start, as `cairn serve` makes it.
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var directory = Path.Combine(dataDirectory, "builds", project);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "last-number");
        var last = File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        File.WriteAllText(file, (last + 1).ToString(CultureInfo.InvariantCulture));
        return last + 1;
    }
}
