namespace Cairn.Server.Aws.Validation;

/// <summary>A structure; members are checked in this order, which is the order AWS reports their errors in.</summary>
internal sealed record StructureShape(params MemberShape[] Members) : Shape;
