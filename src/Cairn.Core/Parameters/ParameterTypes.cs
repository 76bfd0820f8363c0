namespace Cairn.Core.Parameters;

/// <summary>The three parameter types, spelled as on the wire.</summary>
public static class ParameterTypes
{
    public const string String = "String";
    public const string StringList = "StringList";
    public const string SecureString = "SecureString";

    /// <summary>In the order AWS lists them in its enum validation message.</summary>
    public static readonly IReadOnlyList<string> EnumOrder = [SecureString, StringList, String];

    public static bool IsValid(string? type) => type is String or StringList or SecureString;
}
