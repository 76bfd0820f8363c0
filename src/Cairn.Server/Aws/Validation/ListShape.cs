namespace Cairn.Server.Aws.Validation;

internal sealed record ListShape(Shape Member, int? Min = null, int? Max = null) : Shape;
