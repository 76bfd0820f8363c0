namespace Cairn.Core.Errors;

/// <summary>The audit trail's filters, with CloudTrail LookupEvents' error codes (the dashboard's audit page reads the trail as LookupEvents does).</summary>
public static partial class AwsErrors
{
    public static AwsException InvalidLookupAttributes(string message) => new("InvalidLookupAttributesException", message);

    public static AwsException InvalidTimeRange(string message) => new("InvalidTimeRangeException", message);
}
