namespace Cairn.Server.Services.Ssm.Validation;

internal sealed record ListShape(Shape Member, int? Min = null, int? Max = null) : Shape;
