using System.Text.RegularExpressions;

namespace Cairn.Server.Aws.Validation;

/// <param name="Sensitive">AWS leaves a sensitive member's value out of its validation messages.</param>
/// <param name="Matcher">
/// The check for <paramref name="Pattern"/> when the model's text does not mean the same in .NET (AWS's <c>\w</c> is
/// ASCII; <c>\u10000</c> is a code point); the message still shows the model's pattern.
/// </param>
internal sealed record StringShape(
    int? Min = null, int? Max = null, string? Pattern = null, IReadOnlyList<string>? Enum = null, bool Sensitive = false, Regex? Matcher = null) : Shape
{
    /// <summary>Whether <paramref name="text"/> matches the whole pattern (true when there is none).</summary>
    public bool Matches(string text) => Pattern is null
        || (Matcher?.IsMatch(text) ?? Regex.IsMatch(text, $@"\A(?:{Pattern})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
