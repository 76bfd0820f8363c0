namespace Cairn.Dashboard.Tests.Browser;

/// <summary>
/// A browser test: runs with Debian's chromium (scripts/install-test-deps.sh installs it, so CI always runs it); skipped,
/// saying why, only on a machine without it. Playwright never downloads a browser here.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium))
        {
            Skip = $"{Chromium} is missing: install it with `apt-get install -y chromium` (scripts/install-test-deps.sh does) to run the browser tests.";
        }
    }
}
