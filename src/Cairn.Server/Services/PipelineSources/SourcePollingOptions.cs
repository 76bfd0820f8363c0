using System.Globalization;

namespace Cairn.Server.Services.PipelineSources;

/// <summary>
/// Change detection for pipelines' git sources: how often every watched branch is polled, and how often a push hook may
/// ask for a pass (it carries no authority, so it is rate limited: a hook beyond the limit is answered 429).
/// </summary>
public sealed record SourcePollingOptions
{
    /// <summary>Time between passes; a hook's request starts one sooner. CAIRN_SOURCE_POLL_SECONDS.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Off: no background passes and hooks answered 503 (tests that drive the detector themselves).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Hook requests allowed per <see cref="HookWindow"/>, from all callers together.</summary>
    public int HookBurst { get; init; } = 10;

    public TimeSpan HookWindow { get; init; } = TimeSpan.FromSeconds(10);

    public static SourcePollingOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var options = new SourcePollingOptions();
        if (getVariable("CAIRN_SOURCE_POLL_SECONDS") is { Length: > 0 } text)
        {
            options = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? options with { Interval = TimeSpan.FromSeconds(seconds) }
                : throw new ArgumentException($"CAIRN_SOURCE_POLL_SECONDS must be a whole number of seconds above 0, not '{text}'.");
        }

        return options;
    }
}
