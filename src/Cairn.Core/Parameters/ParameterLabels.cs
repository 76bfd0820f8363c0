namespace Cairn.Core.Parameters;

/// <summary>Label rules: 1-100 of <c>a-zA-Z0-9_.-</c>, not starting with a digit, <c>aws</c> or <c>ssm</c>; at most 10 per version.</summary>
public static class ParameterLabels
{
    public const int MaxLength = 100;
    public const int MaxPerVersion = 10;

    public static bool IsValid(string label)
    {
        if (label.Length is 0 or > MaxLength || char.IsAsciiDigit(label[0]))
        {
            return false;
        }

        if (label.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return label.All(ParameterName.IsNameChar);
    }
}
