using System.Text.RegularExpressions;
using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>A parameter's AllowedPattern: a regular expression the whole value must match (as Java's <c>matches</c>).</summary>
public static class AllowedPattern
{
    // A pathological pattern must not hold a request (or the writer) hostage.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Throws InvalidAllowedPatternException when <paramref name="pattern"/> is not a regular expression.</summary>
    public static void Validate(string pattern) => _ = Compile(pattern);

    /// <summary>Throws ParameterPatternMismatchException unless the whole value matches.</summary>
    public static void Check(string pattern, string value)
    {
        bool matches;
        try
        {
            matches = Compile(pattern).IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            matches = false;
        }

        if (!matches)
        {
            throw AwsErrors.ParameterPatternMismatch(pattern);
        }
    }

    private static Regex Compile(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            return new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException)
        {
            throw AwsErrors.InvalidAllowedPattern(pattern);
        }
    }
}
