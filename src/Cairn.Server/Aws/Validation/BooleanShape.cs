namespace Cairn.Server.Aws.Validation;

internal sealed record BooleanShape : Shape;
