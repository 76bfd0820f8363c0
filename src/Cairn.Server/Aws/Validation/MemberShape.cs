namespace Cairn.Server.Aws.Validation;

internal sealed record MemberShape(string Name, Shape Shape, bool Required = false);
