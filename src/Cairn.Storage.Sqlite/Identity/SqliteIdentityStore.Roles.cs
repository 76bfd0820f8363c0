using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Roles and groups.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string RoleSelect =
        "SELECT account_id, role_name, role_id, path, arn, created_at, trust_policy, description, max_session_duration, last_used_at, last_used_region, permissions_boundary FROM iam_roles";

    private const string GroupSelect = "SELECT account_id, group_name, group_id, path, arn, created_at FROM iam_groups";

    public Task CreateRoleAsync(IamRole role, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_roles WHERE account_id = ? AND role_name = ?", role.AccountId, role.RoleName) > 0)
            {
                throw AwsErrors.RoleExists(role.RoleName);
            }

            c.Execute(
                "INSERT INTO iam_roles (account_id, role_name, role_id, path, arn, trust_policy, description, max_session_duration, created_at, permissions_boundary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                role.AccountId, role.RoleName, role.RoleId, role.Path, role.Arn, role.AssumeRolePolicyDocument, role.Description, role.MaxSessionDuration, role.CreateDate,
                role.PermissionsBoundary);
            InsertTags(c, role.AccountId, IamEntityKind.Role, role.RoleName, tags, int.MaxValue);
        }, cancellationToken);

    public Task<IamRole?> FindRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult<IamRole?>(database.Read(c => c.QuerySingle(RoleSelect + " WHERE account_id = ? AND role_name = ?", MapRole, accountId, roleName)));

    public Task<IReadOnlyList<IamRole>> ListRolesAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamRole>>(database.Read(c => c.Query(RoleSelect + " WHERE account_id = ? ORDER BY role_name", MapRole, accountId)));

    public Task DeleteRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Role, roleName);
            CheckNoPolicies(c, accountId, IamEntityKind.Role, roleName);
            if (Count(c, "SELECT COUNT(*) FROM iam_instance_profile_roles WHERE account_id = ? AND role_name = ?", accountId, roleName) > 0)
            {
                throw AwsErrors.MustRemoveRolesFromInstanceProfile();
            }

            DeleteTags(c, accountId, IamEntityKind.Role, roleName);
            c.Execute("DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?", accountId, roleName);
        }, cancellationToken);

    public Task SetPermissionsBoundaryAsync(string accountId, IamEntityKind kind, string entityName, string? policyArn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            var (table, column) = kind == IamEntityKind.User ? ("iam_users", "user_name") : ("iam_roles", "role_name");
            c.Execute($"UPDATE {table} SET permissions_boundary = ? WHERE account_id = ? AND {column} = ?", policyArn, accountId, entityName);
        }, cancellationToken);

    public Task UpdateRoleAsync(string accountId, string roleName, string? description, int? maxSessionDuration, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Role, roleName);
            if (description is not null)
            {
                c.Execute("UPDATE iam_roles SET description = ? WHERE account_id = ? AND role_name = ?", description, accountId, roleName);
            }

            if (maxSessionDuration is { } seconds)
            {
                c.Execute("UPDATE iam_roles SET max_session_duration = ? WHERE account_id = ? AND role_name = ?", seconds, accountId, roleName);
            }
        }, cancellationToken);

    public Task UpdateTrustPolicyAsync(string accountId, string roleName, string document, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("UPDATE iam_roles SET trust_policy = ? WHERE account_id = ? AND role_name = ?", document, accountId, roleName) == 0)
            {
                throw AwsErrors.NoSuchRole(roleName);
            }
        }, cancellationToken);

    public Task RecordRoleUseAsync(string accountId, string roleName, DateTimeOffset when, string region, CancellationToken cancellationToken) =>
        database.WriteAsync(
            c => c.Execute("UPDATE iam_roles SET last_used_at = ?, last_used_region = ? WHERE account_id = ? AND role_name = ?", when, region, accountId, roleName),
            cancellationToken);

    public Task CreateGroupAsync(IamGroup group, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_groups WHERE account_id = ? AND group_name = ?", group.AccountId, group.GroupName) > 0)
            {
                throw AwsErrors.GroupExists(group.GroupName);
            }

            c.Execute(
                "INSERT INTO iam_groups (account_id, group_name, group_id, path, arn, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                group.AccountId, group.GroupName, group.GroupId, group.Path, group.Arn, group.CreateDate);
        }, cancellationToken);

    public Task<IamGroup?> FindGroupAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        Task.FromResult<IamGroup?>(database.Read(c => c.QuerySingle(GroupSelect + " WHERE account_id = ? AND group_name = ?", MapGroup, accountId, groupName)));

    public Task<IReadOnlyList<IamGroup>> ListGroupsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamGroup>>(database.Read(c => c.Query(GroupSelect + " WHERE account_id = ? ORDER BY group_name", MapGroup, accountId)));

    public Task DeleteGroupAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Group, groupName);
            if (Count(c, "SELECT COUNT(*) FROM iam_group_members WHERE account_id = ? AND group_name = ?", accountId, groupName) > 0)
            {
                throw AwsErrors.MustRemoveUsersFromGroup();
            }

            CheckNoPolicies(c, accountId, IamEntityKind.Group, groupName);
            c.Execute("DELETE FROM iam_groups WHERE account_id = ? AND group_name = ?", accountId, groupName);
        }, cancellationToken);

    public Task UpdateGroupAsync(string accountId, string groupName, string? newGroupName, string? newPath, string newArn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Group, groupName);
            var renamed = newGroupName is not null && !string.Equals(newGroupName, groupName, StringComparison.OrdinalIgnoreCase);
            if (renamed && Count(c, "SELECT COUNT(*) FROM iam_groups WHERE account_id = ? AND group_name = ?", accountId, newGroupName!) > 0)
            {
                throw AwsErrors.GroupExists(newGroupName!);
            }

            var name = newGroupName ?? CanonicalName(c, accountId, IamEntityKind.Group, groupName);
            c.Execute("UPDATE iam_groups SET group_name = ?, path = COALESCE(?, path), arn = ? WHERE account_id = ? AND group_name = ?",
                name, newPath, newArn, accountId, groupName);
            if (newGroupName is null)
            {
                return;
            }

            var kind = KindName(IamEntityKind.Group);
            c.Execute("UPDATE iam_group_members SET group_name = ? WHERE account_id = ? AND group_name = ?", name, accountId, groupName);
            c.Execute("UPDATE iam_attachments SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, groupName);
            c.Execute("UPDATE iam_inline_policies SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, groupName);
            c.Execute("UPDATE iam_tags SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, groupName);
        }, cancellationToken);

    public Task AddUserToGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Group, groupName);
            RequireEntity(c, accountId, IamEntityKind.User, userName);
            c.Execute(
                "INSERT OR IGNORE INTO iam_group_members (account_id, group_name, user_name, added_at) VALUES (?, ?, ?, ?)",
                accountId, CanonicalName(c, accountId, IamEntityKind.Group, groupName), CanonicalName(c, accountId, IamEntityKind.User, userName), DateTimeOffset.UtcNow);
        }, cancellationToken);

    public Task RemoveUserFromGroupAsync(string accountId, string groupName, string userName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.Group, groupName);
            RequireEntity(c, accountId, IamEntityKind.User, userName);
            if (c.Execute("DELETE FROM iam_group_members WHERE account_id = ? AND group_name = ? AND user_name = ?", accountId, groupName, userName) == 0)
            {
                throw AwsErrors.NoSuchEntity($"The user with name {userName} cannot be found in group {groupName}.");
            }
        }, cancellationToken);

    public Task<IReadOnlyList<IamUser>> ListGroupMembersAsync(string accountId, string groupName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamUser>>(database.Read(c => c.Query(
            "SELECT u.account_id, u.user_name, u.user_id, u.path, u.arn, u.created_at, u.permissions_boundary FROM iam_users u JOIN iam_group_members m ON m.account_id = u.account_id AND m.user_name = u.user_name WHERE m.account_id = ? AND m.group_name = ? ORDER BY u.user_name",
            MapUser, accountId, groupName)));

    public Task<IReadOnlyList<IamGroup>> ListGroupsForUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamGroup>>(database.Read(c => c.Query(
            "SELECT g.account_id, g.group_name, g.group_id, g.path, g.arn, g.created_at FROM iam_groups g JOIN iam_group_members m ON m.account_id = g.account_id AND m.group_name = g.group_name WHERE m.account_id = ? AND m.user_name = ? ORDER BY g.group_name",
            MapGroup, accountId, userName)));

    private static IamRole MapRole(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), r.GetString(6), r.GetStringOrNull(7), r.GetInt32(8),
            r.IsNull(9) ? null : Time(r, 9), r.GetStringOrNull(10), r.GetStringOrNull(11));

    private static IamGroup MapGroup(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5));

    /// <summary>The entity's name as created; lookups ignore case but references keep the original spelling.</summary>
    private static string CanonicalName(SqliteConnection c, string accountId, IamEntityKind kind, string name)
    {
        var (table, column) = kind switch
        {
            IamEntityKind.User => ("iam_users", "user_name"),
            IamEntityKind.Role => ("iam_roles", "role_name"),
            IamEntityKind.Group => ("iam_groups", "group_name"),
            IamEntityKind.InstanceProfile => ("iam_instance_profiles", "instance_profile_name"),
            _ => ("iam_policies", "arn"),
        };
        return c.QuerySingle($"SELECT {column} FROM {table} WHERE account_id = ? AND {column} = ?", r => r.GetString(0), accountId, name) ?? name;
    }
}
