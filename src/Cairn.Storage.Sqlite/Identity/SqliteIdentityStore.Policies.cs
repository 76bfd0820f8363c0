using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Customer managed policies, their versions, attachments and inline policies.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string PolicySelect =
        "SELECT arn, account_id, policy_name, policy_id, path, default_version, description, created_at, updated_at FROM iam_policies";

    public Task CreatePolicyAsync(ManagedPolicyInfo policy, string document, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_policies WHERE account_id = ? AND policy_name = ?", policy.AccountId, policy.PolicyName) > 0)
            {
                throw AwsErrors.PolicyExists(policy.PolicyName);
            }

            c.Execute(
                "INSERT INTO iam_policies (arn, account_id, policy_name, policy_id, path, description, default_version, next_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'v1', 2, ?, ?)",
                policy.Arn, policy.AccountId, policy.PolicyName, policy.PolicyId, policy.Path, policy.Description, policy.CreateDate, policy.UpdateDate);
            c.Execute(
                "INSERT INTO iam_policy_versions (policy_arn, version_id, version_number, document, created_at) VALUES (?, 'v1', 1, ?, ?)",
                policy.Arn, document, policy.CreateDate);
            InsertTags(c, policy.AccountId, IamEntityKind.Policy, policy.Arn, tags, int.MaxValue);
        }, cancellationToken);

    public Task<ManagedPolicyInfo?> FindPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        Task.FromResult<ManagedPolicyInfo?>(database.Read(c => c.QuerySingle(PolicySelect + " WHERE arn = ?", MapPolicy, policyArn)));

    public Task<IReadOnlyList<ManagedPolicyInfo>> ListPoliciesAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ManagedPolicyInfo>>(database.Read(c => c.Query(PolicySelect + " WHERE account_id = ? ORDER BY policy_name", MapPolicy, accountId)));

    public Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var policy = c.QuerySingle(PolicySelect + " WHERE arn = ?", MapPolicy, policyArn) ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (Count(c, "SELECT COUNT(*) FROM iam_attachments WHERE policy_arn = ?", policyArn) > 0)
            {
                throw AwsErrors.PolicyStillAttached();
            }

            if (Count(c, "SELECT (SELECT COUNT(*) FROM iam_users WHERE permissions_boundary = ?) + (SELECT COUNT(*) FROM iam_roles WHERE permissions_boundary = ?)", policyArn, policyArn) > 0)
            {
                throw AwsErrors.PolicyIsPermissionsBoundary();
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_policy_versions WHERE policy_arn = ?", policyArn) > 1)
            {
                throw AwsErrors.PolicyHasVersions();
            }

            DeleteTags(c, policy.AccountId, IamEntityKind.Policy, policyArn);
            c.Execute("DELETE FROM iam_policy_versions WHERE policy_arn = ?", policyArn);
            c.Execute("DELETE FROM iam_policies WHERE arn = ?", policyArn);
        }, cancellationToken);

    public Task<PolicyVersionInfo> CreatePolicyVersionAsync(
        string policyArn, string document, bool setAsDefault, int maxVersions, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var next = c.QuerySingle("SELECT next_version FROM iam_policies WHERE arn = ?", r => (long?)r.GetInt64(0), policyArn)
                ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (Count(c, "SELECT COUNT(*) FROM iam_policy_versions WHERE policy_arn = ?", policyArn) >= maxVersions)
            {
                throw AwsErrors.TooManyPolicyVersions();
            }

            var versionId = "v" + next.ToString(CultureInfo.InvariantCulture);
            c.Execute(
                "INSERT INTO iam_policy_versions (policy_arn, version_id, version_number, document, created_at) VALUES (?, ?, ?, ?, ?)",
                policyArn, versionId, next, document, now);
            c.Execute("UPDATE iam_policies SET next_version = ?, updated_at = ? WHERE arn = ?", next + 1, now, policyArn);
            if (setAsDefault)
            {
                c.Execute("UPDATE iam_policies SET default_version = ? WHERE arn = ?", versionId, policyArn);
            }

            return new PolicyVersionInfo(policyArn, versionId, document, setAsDefault, now);
        }, cancellationToken);

    public Task<PolicyVersionInfo?> FindPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        Task.FromResult<PolicyVersionInfo?>(database.Read(c => c.QuerySingle(VersionSelect + " WHERE v.policy_arn = ? AND v.version_id = ?", MapVersion, policyArn, versionId)));

    public Task<IReadOnlyList<PolicyVersionInfo>> ListPolicyVersionsAsync(string policyArn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PolicyVersionInfo>>(database.Read(c => c.Query(VersionSelect + " WHERE v.policy_arn = ? ORDER BY v.version_number DESC", MapVersion, policyArn)));

    public Task DeletePolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var defaultVersion = c.QuerySingle("SELECT default_version FROM iam_policies WHERE arn = ?", r => r.GetString(0), policyArn)
                ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (string.Equals(defaultVersion, versionId, StringComparison.Ordinal))
            {
                throw AwsErrors.CannotDeleteDefaultVersion();
            }

            if (c.Execute("DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?", policyArn, versionId) == 0)
            {
                throw AwsErrors.NoSuchPolicyVersion(policyArn, versionId);
            }
        }, cancellationToken);

    public Task SetDefaultPolicyVersionAsync(string policyArn, string versionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_policies WHERE arn = ?", policyArn) == 0)
            {
                throw AwsErrors.NoSuchPolicy(policyArn);
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?", policyArn, versionId) == 0)
            {
                throw AwsErrors.NoSuchPolicyVersion(policyArn, versionId);
            }

            c.Execute("UPDATE iam_policies SET default_version = ?, updated_at = ? WHERE arn = ?", versionId, now, policyArn);
        }, cancellationToken);

    public Task AttachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, int maxAttached, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            var exists = AwsManagedPolicies.IsAwsManagedArn(policyArn)
                ? AwsManagedPolicies.Find(policyArn) is not null
                : Count(c, "SELECT COUNT(*) FROM iam_policies WHERE arn = ? AND account_id = ?", policyArn, accountId) > 0;
            if (!exists)
            {
                throw AwsErrors.PolicyNotAttachable(policyArn);
            }

            var k = KindName(kind);
            if (Count(c, "SELECT COUNT(*) FROM iam_attachments WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_arn = ?", accountId, k, entityName, policyArn) > 0)
            {
                return;
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_attachments WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, k, entityName) >= maxAttached)
            {
                throw AwsErrors.Quota(kind switch { IamEntityKind.User => "PoliciesPerUser", IamEntityKind.Group => "PoliciesPerGroup", _ => "PoliciesPerRole" }, maxAttached);
            }

            var seq = Count(c, "SELECT COALESCE(MAX(seq), 0) FROM iam_attachments") + 1;
            c.Execute(
                "INSERT INTO iam_attachments (account_id, entity_kind, entity_name, policy_arn, attached_at, seq) VALUES (?, ?, ?, ?, ?, ?)",
                accountId, k, CanonicalName(c, accountId, kind, entityName), policyArn, DateTimeOffset.UtcNow, seq);
        }, cancellationToken);

    public Task DetachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            if (c.Execute(
                    "DELETE FROM iam_attachments WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_arn = ?",
                    accountId, KindName(kind), entityName, policyArn) == 0)
            {
                throw AwsErrors.NoSuchPolicy(policyArn);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListAttachedPoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(database.Read(c => c.Query(
            "SELECT policy_arn FROM iam_attachments WHERE account_id = ? AND entity_kind = ? AND entity_name = ? ORDER BY seq",
            r => r.GetString(0), accountId, KindName(kind), entityName)));

    public Task<IReadOnlyList<(IamEntityKind Kind, string EntityName)>> ListEntitiesForPolicyAsync(string accountId, string policyArn, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(IamEntityKind Kind, string EntityName)>>(database.Read(c => c.Query(
            "SELECT entity_kind, entity_name FROM iam_attachments WHERE account_id = ? AND policy_arn = ? ORDER BY entity_kind, entity_name",
            r => (ParseKind(r.GetString(0)), r.GetString(1)), accountId, policyArn)));

    public Task PutInlinePolicyAsync(string accountId, InlinePolicy policy, int maxTotalSize, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, policy.Kind, policy.EntityName);
            var k = KindName(policy.Kind);
            var others = c.Query(
                "SELECT document FROM iam_inline_policies WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_name <> ?",
                r => r.GetString(0), accountId, k, policy.EntityName, policy.PolicyName);
            var canonical = CanonicalName(c, accountId, policy.Kind, policy.EntityName);
            if (others.Sum(PolicySize.Of) + PolicySize.Of(policy.Document) > maxTotalSize)
            {
                throw AwsErrors.InlinePolicyTooLarge(maxTotalSize, k, canonical);
            }

            var updated = c.Execute(
                "UPDATE iam_inline_policies SET document = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_name = ?",
                policy.Document, accountId, k, policy.EntityName, policy.PolicyName);
            if (updated == 0)
            {
                c.Execute(
                    "INSERT INTO iam_inline_policies (account_id, entity_kind, entity_name, policy_name, document) VALUES (?, ?, ?, ?, ?)",
                    accountId, k, canonical, policy.PolicyName, policy.Document);
            }
        }, cancellationToken);

    public Task<InlinePolicy?> FindInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken) =>
        Task.FromResult<InlinePolicy?>(database.Read(c => c.QuerySingle(
            "SELECT entity_kind, entity_name, policy_name, document FROM iam_inline_policies WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_name = ?",
            MapInline, accountId, KindName(kind), entityName, policyName)));

    public Task<IReadOnlyList<InlinePolicy>> ListInlinePoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InlinePolicy>>(database.Read(c => c.Query(
            "SELECT entity_kind, entity_name, policy_name, document FROM iam_inline_policies WHERE account_id = ? AND entity_kind = ? AND entity_name = ? ORDER BY policy_name",
            MapInline, accountId, KindName(kind), entityName)));

    public Task DeleteInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            if (c.Execute(
                    "DELETE FROM iam_inline_policies WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND policy_name = ?",
                    accountId, KindName(kind), entityName, policyName) == 0)
            {
                throw AwsErrors.NoSuchInlinePolicy(KindName(kind), policyName);
            }
        }, cancellationToken);

    private const string VersionSelect =
        "SELECT v.policy_arn, v.version_id, v.document, v.version_id = p.default_version, v.created_at FROM iam_policy_versions v JOIN iam_policies p ON p.arn = v.policy_arn";

    private static ManagedPolicyInfo MapPolicy(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetStringOrNull(6), Time(r, 7), Time(r, 8));

    private static PolicyVersionInfo MapVersion(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), Time(r, 4));

    private static InlinePolicy MapInline(SqliteRow r) => new(ParseKind(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3));

    private static IamEntityKind ParseKind(string kind) => kind switch
    {
        "user" => IamEntityKind.User,
        "role" => IamEntityKind.Role,
        "group" => IamEntityKind.Group,
        _ => IamEntityKind.Policy,
    };
}
