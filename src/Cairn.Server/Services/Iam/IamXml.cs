using System.Globalization;
using System.Xml.Linq;
using Cairn.Core.Identity.Iam;

namespace Cairn.Server.Services.Iam;

/// <summary>IAM's XML shapes (members in the model's order); the codec adds the namespace and the response envelope.</summary>
internal static class IamXml
{
    public static XElement? E(string name, object? value) => value switch
    {
        null => null,
        DateTimeOffset time => new XElement(name, Time(time)),
        bool flag => new XElement(name, flag ? "true" : "false"),
        int number => new XElement(name, number.ToString(CultureInfo.InvariantCulture)),
        _ => new XElement(name, value),
    };

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Policy documents in responses are URL-encoded (RFC 3986), as IAM sends them.</summary>
    public static string Encoded(string document) => Uri.EscapeDataString(document);

    /// <summary><c>&lt;Name&gt;&lt;member&gt;...&lt;/member&gt;...&lt;/Name&gt;</c>.</summary>
    public static XElement Members(string name, IEnumerable<object?> items) =>
        new(name, items.Select(item => new XElement("member", item)));

    public static XElement Result(string action, params object?[] content) => new($"{action}Result", content);

    /// <summary>A user; ListUsers leaves PermissionsBoundary out (<paramref name="boundary"/> false), as AWS's listings do.</summary>
    public static object?[] User(IamUser user, IReadOnlyList<IamTag>? tags = null, bool boundary = true) =>
    [
        E("Path", user.Path), E("UserName", user.UserName), E("UserId", user.UserId), E("Arn", user.Arn), E("CreateDate", user.CreateDate),
        boundary ? Boundary(user.PermissionsBoundary) : null, tags is { Count: > 0 } ? Tags(tags) : null,
    ];

    /// <summary><c>PermissionsBoundary { PermissionsBoundaryType: Policy, PermissionsBoundaryArn }</c>, or nothing without one.</summary>
    public static XElement? Boundary(string? policyArn) =>
        policyArn is null ? null : new XElement("PermissionsBoundary", E("PermissionsBoundaryType", "PermissionsBoundaryPolicy"), E("PermissionsBoundaryArn", policyArn));

    /// <summary>A role; ListRoles leaves PermissionsBoundary out (<paramref name="boundary"/> false), as AWS's listings do.</summary>
    public static object?[] Role(IamRole role, IReadOnlyList<IamTag>? tags = null, bool lastUsed = false, bool boundary = true) =>
    [
        E("Path", role.Path), E("RoleName", role.RoleName), E("RoleId", role.RoleId), E("Arn", role.Arn), E("CreateDate", role.CreateDate),
        E("AssumeRolePolicyDocument", Encoded(role.AssumeRolePolicyDocument)), E("Description", role.Description),
        E("MaxSessionDuration", role.MaxSessionDuration), boundary ? Boundary(role.PermissionsBoundary) : null, tags is { Count: > 0 } ? Tags(tags) : null,
        lastUsed ? new XElement("RoleLastUsed", E("LastUsedDate", role.LastUsedDate), E("Region", role.LastUsedRegion)) : null,
    ];

    public static object?[] Group(IamGroup group) =>
    [
        E("Path", group.Path), E("GroupName", group.GroupName), E("GroupId", group.GroupId), E("Arn", group.Arn), E("CreateDate", group.CreateDate),
    ];

    /// <summary>A managed policy; <paramref name="tags"/> null leaves Tags out, empty sends an empty list (GetPolicy always has one).</summary>
    public static object?[] Policy(ManagedPolicyInfo policy, int attachmentCount, IReadOnlyList<IamTag>? tags = null) =>
    [
        E("PolicyName", policy.PolicyName), E("PolicyId", policy.PolicyId), E("Arn", policy.Arn), E("Path", policy.Path),
        E("DefaultVersionId", policy.DefaultVersionId), E("AttachmentCount", attachmentCount), E("PermissionsBoundaryUsageCount", 0),
        E("IsAttachable", true), E("Description", policy.Description), E("CreateDate", policy.CreateDate), E("UpdateDate", policy.UpdateDate),
        tags is null ? null : Tags(tags),
    ];

    public static object?[] Version(PolicyVersionInfo version, bool withDocument) =>
    [
        withDocument ? E("Document", Encoded(version.Document)) : null, E("VersionId", version.VersionId),
        E("IsDefaultVersion", version.IsDefaultVersion), E("CreateDate", version.CreateDate),
    ];

    public static object?[] AccessKeyMetadata(AccessKeyInfo key) =>
        [E("UserName", key.UserName), E("AccessKeyId", key.AccessKeyId), E("Status", key.Status), E("CreateDate", key.CreateDate)];

    public static XElement Tags(IEnumerable<IamTag> tags) => Members("Tags", tags.Select(t => new object?[] { E("Key", t.Key), E("Value", t.Value) }));

    /// <summary>IsTruncated and, when truncated, the Marker for the next page.</summary>
    public static object?[] Paging(bool truncated, string? marker) => [E("IsTruncated", truncated), truncated ? E("Marker", marker) : null];
}
