namespace Cairn.Server.Services.Ssm.Validation;

internal sealed record MemberShape(string Name, Shape Shape, bool Required = false);
