namespace Cairn.Server.Aws.Validation;

/// <summary>An integer or long member, optionally bounded.</summary>
internal sealed record NumberShape(long? Min = null, long? Max = null, bool IsLong = false) : Shape;
