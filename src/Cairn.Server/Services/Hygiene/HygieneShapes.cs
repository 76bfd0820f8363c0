using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Hygiene;

/// <summary>The input shapes of Cairn's own secret-hygiene API (no AWS model: Cairn's operations).</summary>
internal static class HygieneShapes
{
    private static readonly StringShape PathPrefix = new(1, 1011);

    public static readonly StructureShape PutNamingRule = new(
        new MemberShape("Pattern", new StringShape(1, 1024), true),
        new MemberShape("Mode", new StringShape(1, 16), true),
        new MemberShape("PathPrefix", PathPrefix),
        new MemberShape("Example", new StringShape(1, 2048)));

    public static readonly StructureShape GetNamingRules = new();

    private static readonly NumberShape Days = new(1, 3650);

    public static readonly StructureShape GetSecretsReport = new(
        new MemberShape("MaxAgeDays", Days),
        new MemberShape("UnusedDays", Days),
        new MemberShape("ExpiringDays", Days));

    public static readonly StructureShape DeleteNamingRule = new(new MemberShape("PathPrefix", PathPrefix));

    private static readonly StringShape EntityName = new(1, 128);

    public static readonly StructureShape GetPolicySuggestion = new(
        new MemberShape("RoleName", EntityName),
        new MemberShape("UserName", EntityName),
        new MemberShape("Since", new StringShape(1, 64)));
}
