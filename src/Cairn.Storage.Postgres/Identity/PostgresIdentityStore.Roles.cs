using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>Roles and groups.</summary>
public sealed partial class PostgresIdentityStore
{
    private const string RoleSelect =
        "SELECT account_id, role_name, role_id, path, arn, created_at, trust_policy, description, max_session_duration, last_used_at, last_used_region, permissions_boundary FROM cairn_identity.roles";

    private const string GroupSelect = "SELECT account_id, group_name, group_id, path, arn, created_at FROM cairn_identity.groups";

    public Task CreateRoleAsync(IamRole role, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.roles WHERE account_id = $1 AND role_name = $2", role.AccountId, role.RoleName).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.RoleExists(role.RoleName);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.roles (account_id, role_name, role_id, path, arn, trust_policy, description, max_session_duration, created_at, permissions_boundary) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                role.AccountId, role.RoleName, role.RoleId, role.Path, role.Arn, role.AssumeRolePolicyDocument, role.Description, role.MaxSessionDuration, role.CreateDate,
                role.PermissionsBoundary)
                .ConfigureAwait(false);
            await InsertTagsAsync(s, role.AccountId, IamEntityKind.Role, role.RoleName, tags, int.MaxValue).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IamRole?> FindRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(RoleSelect + " WHERE account_id = $1 AND role_name = $2", MapRole, accountId, roleName), cancellationToken);

    public async Task<IReadOnlyList<IamRole>> ListRolesAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(RoleSelect + " WHERE account_id = $1 ORDER BY " + ByName("role_name"), MapRole, accountId), cancellationToken)
            .ConfigureAwait(false);

    public Task DeleteRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            await CheckNoPoliciesAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND role_name = $2", accountId, roleName)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.MustRemoveRolesFromInstanceProfile();
            }

            await DeleteTagsAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.roles WHERE account_id = $1 AND role_name = $2", accountId, roleName).ConfigureAwait(false);
        }, cancellationToken);

    public Task SetPermissionsBoundaryAsync(string accountId, IamEntityKind kind, string entityName, string? policyArn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            var (table, column) = kind == IamEntityKind.User ? ("users", "user_name") : ("roles", "role_name");
            await s.ExecuteAsync($"UPDATE cairn_identity.{table} SET permissions_boundary = $1 WHERE account_id = $2 AND {column} = $3", policyArn, accountId, entityName)
                .ConfigureAwait(false);
        }, cancellationToken);

    public Task UpdateRoleAsync(string accountId, string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            if (description is not null)
            {
                await s.ExecuteAsync("UPDATE cairn_identity.roles SET description = $1 WHERE account_id = $2 AND role_name = $3", description, accountId, roleName)
                    .ConfigureAwait(false);
            }

            if (maxSessionDuration is { } seconds)
            {
                await s.ExecuteAsync("UPDATE cairn_identity.roles SET max_session_duration = $1 WHERE account_id = $2 AND role_name = $3", seconds, accountId, roleName)
                    .ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task UpdateTrustPolicyAsync(string accountId, string roleName, string document, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync("UPDATE cairn_identity.roles SET trust_policy = $1 WHERE account_id = $2 AND role_name = $3", document, accountId, roleName)
                    .ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchRole(roleName);
            }
        }, cancellationToken);

    public Task RecordRoleUseAsync(string accountId, string roleName, DateTimeOffset when, string region, CancellationToken cancellationToken) =>
        UnlockedWriteAsync(
            s => s.ExecuteAsync(
                "UPDATE cairn_identity.roles SET last_used_at = $1, last_used_region = $2 WHERE account_id = $3 AND role_name = $4", when, region, accountId, roleName),
            cancellationToken);

    public Task CreateGroupAsync(IamGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.groups WHERE account_id = $1 AND group_name = $2", group.AccountId, group.GroupName)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.GroupExists(group.GroupName);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.groups (account_id, group_name, group_id, path, arn, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                group.AccountId, group.GroupName, group.GroupId, group.Path, group.Arn, group.CreateDate).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IamGroup?> FindGroupAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(GroupSelect + " WHERE account_id = $1 AND group_name = $2", MapGroup, accountId, groupName), cancellationToken);

    public async Task<IReadOnlyList<IamGroup>> ListGroupsAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(GroupSelect + " WHERE account_id = $1 ORDER BY " + ByName("group_name"), MapGroup, accountId), cancellationToken)
            .ConfigureAwait(false);

    public Task DeleteGroupAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.Group, groupName).ConfigureAwait(false);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.group_members WHERE account_id = $1 AND group_name = $2", accountId, groupName)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.MustRemoveUsersFromGroup();
            }

            await CheckNoPoliciesAsync(s, accountId, IamEntityKind.Group, groupName).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.groups WHERE account_id = $1 AND group_name = $2", accountId, groupName).ConfigureAwait(false);
        }, cancellationToken);

    public Task UpdateGroupAsync(string accountId, string groupName, string? newGroupName, string? newPath, string newArn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var existing = await s.QuerySingleAsync(GroupSelect + " WHERE account_id = $1 AND group_name = $2", MapGroup, accountId, groupName).ConfigureAwait(false)
                ?? throw AwsErrors.NoSuchGroup(groupName);
            var renamed = newGroupName is not null && !string.Equals(newGroupName, groupName, StringComparison.OrdinalIgnoreCase);
            if (renamed && await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.groups WHERE account_id = $1 AND group_name = $2", accountId, newGroupName!)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.GroupExists(newGroupName!);
            }

            var name = newGroupName ?? existing.GroupName;
            await s.ExecuteAsync("UPDATE cairn_identity.groups SET group_name = $1, path = COALESCE($2, path), arn = $3 WHERE account_id = $4 AND group_name = $5",
                name, newPath, newArn, accountId, groupName).ConfigureAwait(false);
            if (newGroupName is null)
            {
                return;
            }

            var kind = KindName(IamEntityKind.Group);
            await s.ExecuteAsync("UPDATE cairn_identity.group_members SET group_name = $1 WHERE account_id = $2 AND group_name = $3", name, accountId, groupName)
                .ConfigureAwait(false);
            foreach (var table in new[] { "attachments", "inline_policies", "tags" })
            {
                await s.ExecuteAsync(
                    $"UPDATE cairn_identity.{table} SET entity_name = $1 WHERE account_id = $2 AND entity_kind = $3 AND entity_name = $4", name, accountId, kind, groupName)
                    .ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task AddUserToGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.Group, groupName).ConfigureAwait(false);
            await RequireEntityAsync(s, accountId, IamEntityKind.User, userName).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.group_members (account_id, group_name, user_name, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                accountId, await CanonicalNameAsync(s, accountId, IamEntityKind.Group, groupName).ConfigureAwait(false),
                await CanonicalNameAsync(s, accountId, IamEntityKind.User, userName).ConfigureAwait(false), DateTimeOffset.UtcNow).ConfigureAwait(false);
        }, cancellationToken);

    public Task RemoveUserFromGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.Group, groupName).ConfigureAwait(false);
            await RequireEntityAsync(s, accountId, IamEntityKind.User, userName).ConfigureAwait(false);
            if (await s.ExecuteAsync(
                    "DELETE FROM cairn_identity.group_members WHERE account_id = $1 AND group_name = $2 AND user_name = $3", accountId, groupName, userName)
                    .ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchEntity($"The user with name {userName} cannot be found in group {groupName}.");
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<IamUser>> ListGroupMembersAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT u.account_id, u.user_name, u.user_id, u.path, u.arn, u.created_at, u.permissions_boundary FROM cairn_identity.users u JOIN cairn_identity.group_members m "
            + "ON m.account_id = u.account_id AND m.user_name = u.user_name WHERE m.account_id = $1 AND m.group_name = $2 ORDER BY " + ByName("u.user_name"),
            MapUser, accountId, groupName), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<IamGroup>> ListGroupsForUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT g.account_id, g.group_name, g.group_id, g.path, g.arn, g.created_at FROM cairn_identity.groups g JOIN cairn_identity.group_members m "
            + "ON m.account_id = g.account_id AND m.group_name = g.group_name WHERE m.account_id = $1 AND m.user_name = $2 ORDER BY " + ByName("g.group_name"),
            MapGroup, accountId, userName), cancellationToken).ConfigureAwait(false);

    private static IamRole MapRole(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), r.GetString(6), StringOrNull(r, 7), r.GetInt32(8),
            r.IsDBNull(9) ? null : Time(r, 9), StringOrNull(r, 10), StringOrNull(r, 11));

    private static IamGroup MapGroup(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5));
}
