namespace Cairn.Server.Services.Ssm.Validation;

internal sealed record BooleanShape : Shape;
