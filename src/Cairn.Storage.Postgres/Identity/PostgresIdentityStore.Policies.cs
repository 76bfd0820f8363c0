using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>Customer managed policies, their versions, attachments and inline policies.</summary>
public sealed partial class PostgresIdentityStore
{
    private const string PolicySelect =
        "SELECT arn, account_id, policy_name, policy_id, path, default_version, description, created_at, updated_at FROM cairn_identity.policies";

    private const string VersionSelect =
        "SELECT v.policy_arn, v.version_id, v.document, v.version_id = p.default_version, v.created_at FROM cairn_identity.policy_versions v "
        + "JOIN cairn_identity.policies p ON p.arn = v.policy_arn";

    private const string InlineSelect = "SELECT entity_kind, entity_name, policy_name, document FROM cairn_identity.inline_policies";

    public Task CreatePolicyAsync(ManagedPolicyInfo policy, string document, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policies WHERE account_id = $1 AND policy_name = $2", policy.AccountId, policy.PolicyName)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.PolicyExists(policy.PolicyName);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.policies (arn, account_id, policy_name, policy_id, path, description, default_version, next_version, created_at, updated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, 'v1', 2, $7, $8)",
                policy.Arn, policy.AccountId, policy.PolicyName, policy.PolicyId, policy.Path, policy.Description, policy.CreateDate, policy.UpdateDate).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.policy_versions (policy_arn, version_id, version_number, document, created_at) VALUES ($1, 'v1', 1, $2, $3)",
                policy.Arn, document, policy.CreateDate).ConfigureAwait(false);
            await InsertTagsAsync(s, policy.AccountId, IamEntityKind.Policy, policy.Arn, tags, int.MaxValue).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<ManagedPolicyInfo?> FindPolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(PolicySelect + " WHERE arn = $1", MapPolicy, policyArn), cancellationToken);

    public async Task<IReadOnlyList<ManagedPolicyInfo>> ListPoliciesAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(PolicySelect + " WHERE account_id = $1 ORDER BY " + ByName("policy_name"), MapPolicy, accountId), cancellationToken)
            .ConfigureAwait(false);

    public Task DeletePolicyAsync(string policyArn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var policy = await s.QuerySingleAsync(PolicySelect + " WHERE arn = $1", MapPolicy, policyArn).ConfigureAwait(false) ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.attachments WHERE policy_arn = $1", policyArn).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.PolicyStillAttached();
            }

            if (await CountAsync(s, "SELECT (SELECT COUNT(*) FROM cairn_identity.users WHERE permissions_boundary = $1) + (SELECT COUNT(*) FROM cairn_identity.roles WHERE permissions_boundary = $1)", policyArn).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.PolicyIsPermissionsBoundary();
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policy_versions WHERE policy_arn = $1", policyArn).ConfigureAwait(false) > 1)
            {
                throw AwsErrors.PolicyHasVersions();
            }

            await DeleteTagsAsync(s, policy.AccountId, IamEntityKind.Policy, policyArn).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.policy_versions WHERE policy_arn = $1", policyArn).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.policies WHERE arn = $1", policyArn).ConfigureAwait(false);
        }, cancellationToken);

    public Task<PolicyVersionInfo> CreatePolicyVersionAsync(
        string policyArn, string document, bool setAsDefault, int maxVersions, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var next = await s.QuerySingleAsync("SELECT next_version FROM cairn_identity.policies WHERE arn = $1", r => (long?)r.GetInt64(0), policyArn).ConfigureAwait(false)
                ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policy_versions WHERE policy_arn = $1", policyArn).ConfigureAwait(false) >= maxVersions)
            {
                throw AwsErrors.TooManyPolicyVersions();
            }

            var versionId = "v" + next.ToString(CultureInfo.InvariantCulture);
            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.policy_versions (policy_arn, version_id, version_number, document, created_at) VALUES ($1, $2, $3, $4, $5)",
                policyArn, versionId, next, document, now).ConfigureAwait(false);
            await s.ExecuteAsync("UPDATE cairn_identity.policies SET next_version = $1, updated_at = $2 WHERE arn = $3", next + 1, now, policyArn).ConfigureAwait(false);
            if (setAsDefault)
            {
                await s.ExecuteAsync("UPDATE cairn_identity.policies SET default_version = $1 WHERE arn = $2", versionId, policyArn).ConfigureAwait(false);
            }

            return new PolicyVersionInfo(policyArn, versionId, document, setAsDefault, now);
        }, cancellationToken);

    public Task<PolicyVersionInfo?> FindPolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(VersionSelect + " WHERE v.policy_arn = $1 AND v.version_id = $2", MapVersion, policyArn, versionId), cancellationToken);

    public async Task<IReadOnlyList<PolicyVersionInfo>> ListPolicyVersionsAsync(string policyArn, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(VersionSelect + " WHERE v.policy_arn = $1 ORDER BY v.version_number DESC", MapVersion, policyArn), cancellationToken)
            .ConfigureAwait(false);

    public Task DeletePolicyVersionAsync(string policyArn, string versionId, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var defaultVersion = await s.QuerySingleAsync("SELECT default_version FROM cairn_identity.policies WHERE arn = $1", r => r.GetString(0), policyArn)
                .ConfigureAwait(false) ?? throw AwsErrors.NoSuchPolicy(policyArn);
            if (string.Equals(defaultVersion, versionId, StringComparison.Ordinal))
            {
                throw AwsErrors.CannotDeleteDefaultVersion();
            }

            if (await s.ExecuteAsync("DELETE FROM cairn_identity.policy_versions WHERE policy_arn = $1 AND version_id = $2", policyArn, versionId).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchPolicyVersion(policyArn, versionId);
            }
        }, cancellationToken);

    public Task SetDefaultPolicyVersionAsync(string policyArn, string versionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policies WHERE arn = $1", policyArn).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchPolicy(policyArn);
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policy_versions WHERE policy_arn = $1 AND version_id = $2", policyArn, versionId)
                    .ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchPolicyVersion(policyArn, versionId);
            }

            await s.ExecuteAsync("UPDATE cairn_identity.policies SET default_version = $1, updated_at = $2 WHERE arn = $3", versionId, now, policyArn).ConfigureAwait(false);
        }, cancellationToken);

    public Task AttachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, int maxAttached, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            var exists = AwsManagedPolicies.IsAwsManagedArn(policyArn)
                ? AwsManagedPolicies.Find(policyArn) is not null
                : await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.policies WHERE arn = $1 AND account_id = $2", policyArn, accountId).ConfigureAwait(false) > 0;
            if (!exists)
            {
                throw AwsErrors.PolicyNotAttachable(policyArn);
            }

            var k = KindName(kind);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.attachments WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND policy_arn = $4",
                    accountId, k, entityName, policyArn).ConfigureAwait(false) > 0)
            {
                return;
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.attachments WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, k, entityName)
                    .ConfigureAwait(false) >= maxAttached)
            {
                throw AwsErrors.Quota(kind switch { IamEntityKind.User => "PoliciesPerUser", IamEntityKind.Group => "PoliciesPerGroup", _ => "PoliciesPerRole" }, maxAttached);
            }

            var seq = await CountAsync(s, "SELECT COALESCE(MAX(seq), 0) FROM cairn_identity.attachments").ConfigureAwait(false) + 1;
            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.attachments (account_id, entity_kind, entity_name, policy_arn, attached_at, seq) VALUES ($1, $2, $3, $4, $5, $6)",
                accountId, k, await CanonicalNameAsync(s, accountId, kind, entityName).ConfigureAwait(false), policyArn, DateTimeOffset.UtcNow, seq).ConfigureAwait(false);
        }, cancellationToken);

    public Task DetachPolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyArn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            if (await s.ExecuteAsync(
                    "DELETE FROM cairn_identity.attachments WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND policy_arn = $4",
                    accountId, KindName(kind), entityName, policyArn).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchPolicy(policyArn);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> ListAttachedPoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT policy_arn FROM cairn_identity.attachments WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 ORDER BY seq",
            r => r.GetString(0), accountId, KindName(kind), entityName), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<(IamEntityKind Kind, string EntityName)>> ListEntitiesForPolicyAsync(string accountId, string policyArn, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT entity_kind, entity_name FROM cairn_identity.attachments WHERE account_id = $1 AND policy_arn = $2 ORDER BY entity_kind, " + ByName("entity_name"),
            r => (ParseKind(r.GetString(0)), r.GetString(1)), accountId, policyArn), cancellationToken).ConfigureAwait(false);

    public Task PutInlinePolicyAsync(string accountId, InlinePolicy policy, int maxTotalSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, policy.Kind, policy.EntityName).ConfigureAwait(false);
            var k = KindName(policy.Kind);
            var others = await s.QueryAsync(
                "SELECT document FROM cairn_identity.inline_policies WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND policy_name <> $4",
                r => r.GetString(0), accountId, k, policy.EntityName, policy.PolicyName).ConfigureAwait(false);
            var canonical = await CanonicalNameAsync(s, accountId, policy.Kind, policy.EntityName).ConfigureAwait(false);
            if (others.Sum(PolicySize.Of) + PolicySize.Of(policy.Document) > maxTotalSize)
            {
                throw AwsErrors.InlinePolicyTooLarge(maxTotalSize, k, canonical);
            }

            var updated = await s.ExecuteAsync(
                "UPDATE cairn_identity.inline_policies SET document = $1 WHERE account_id = $2 AND entity_kind = $3 AND entity_name = $4 AND policy_name = $5",
                policy.Document, accountId, k, policy.EntityName, policy.PolicyName).ConfigureAwait(false);
            if (updated == 0)
            {
                await s.ExecuteAsync(
                    "INSERT INTO cairn_identity.inline_policies (account_id, entity_kind, entity_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)",
                    accountId, k, canonical, policy.PolicyName, policy.Document).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    public Task<InlinePolicy?> FindInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(
            InlineSelect + " WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND policy_name = $4",
            MapInline, accountId, KindName(kind), entityName, policyName), cancellationToken);

    public async Task<IReadOnlyList<InlinePolicy>> ListInlinePoliciesAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            InlineSelect + " WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 ORDER BY " + ByName("policy_name"),
            MapInline, accountId, KindName(kind), entityName), cancellationToken).ConfigureAwait(false);

    public Task DeleteInlinePolicyAsync(string accountId, IamEntityKind kind, string entityName, string policyName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            if (await s.ExecuteAsync(
                    "DELETE FROM cairn_identity.inline_policies WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND policy_name = $4",
                    accountId, KindName(kind), entityName, policyName).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchInlinePolicy(KindName(kind), policyName);
            }
        }, cancellationToken);

    private static ManagedPolicyInfo MapPolicy(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), StringOrNull(r, 6), Time(r, 7), Time(r, 8));

    private static PolicyVersionInfo MapVersion(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), Time(r, 4));

    private static InlinePolicy MapInline(NpgsqlDataReader r) => new(ParseKind(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3));
}
