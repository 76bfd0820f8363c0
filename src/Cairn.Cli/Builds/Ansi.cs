namespace Cairn.Cli.Builds;

/// <summary>The few terminal styles `cairn build` uses, and whether to use them at all.</summary>
internal static class Ansi
{
    public const string Reset = "\e[0m";
    public const string Bold = "\e[1m";
    public const string Dim = "\e[2m";
    public const string Red = "\e[31m";
    public const string Green = "\e[32m";
    public const string Yellow = "\e[33m";
    public const string Cyan = "\e[36m";

    /// <summary>Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb.</summary>
    public static bool Enabled(bool redirected, Func<string, string?> getVariable) =>
        !redirected && string.IsNullOrEmpty(getVariable("NO_COLOR")) && getVariable("TERM") != "dumb";

    public static string StatusColour(string status) => status switch
    {
        "SUCCEEDED" => Green,
        "FAILED" or "FAULT" => Red,
        _ => Yellow,
    };
}
