using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Instance profiles and the role each holds.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string ProfileColumns = "account_id, instance_profile_name, instance_profile_id, path, arn, created_at";

    public Task CreateInstanceProfileAsync(InstanceProfile profile, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_instance_profiles WHERE account_id = ? AND instance_profile_name = ?", profile.AccountId, profile.InstanceProfileName) > 0)
            {
                throw AwsErrors.InstanceProfileExists(profile.InstanceProfileName);
            }

            c.Execute($"INSERT INTO iam_instance_profiles ({ProfileColumns}) VALUES (?, ?, ?, ?, ?, ?)",
                profile.AccountId, profile.InstanceProfileName, profile.InstanceProfileId, profile.Path, profile.Arn, profile.CreateDate);
            DeleteTags(c, profile.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName);
            InsertTags(c, profile.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName, tags, int.MaxValue);
        }, cancellationToken);
    }

    public Task<InstanceProfile?> FindInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => InstanceProfiles(c, "WHERE account_id = ? AND instance_profile_name = ?", accountId, name).FirstOrDefault()));

    public Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InstanceProfile>>(database.Read(c => InstanceProfiles(c, "WHERE account_id = ?", accountId)));

    public Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesForRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InstanceProfile>>(database.Read(c => InstanceProfiles(c,
            "WHERE account_id = ? AND instance_profile_name IN (SELECT instance_profile_name FROM iam_instance_profile_roles WHERE account_id = ? AND role_name = ?)",
            accountId, accountId, roleName)));

    public Task DeleteInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.InstanceProfile, name);
            if (Count(c, "SELECT COUNT(*) FROM iam_instance_profile_roles WHERE account_id = ? AND instance_profile_name = ?", accountId, name) > 0)
            {
                throw AwsErrors.MustRemoveRolesFromInstanceProfile();
            }

            DeleteTags(c, accountId, IamEntityKind.InstanceProfile, name);
            c.Execute("DELETE FROM iam_instance_profiles WHERE account_id = ? AND instance_profile_name = ?", accountId, name);
        }, cancellationToken);

    public Task AddRoleToInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.InstanceProfile, profileName);
            RequireEntity(c, accountId, IamEntityKind.Role, roleName);
            if (Count(c, "SELECT COUNT(*) FROM iam_instance_profile_roles WHERE account_id = ? AND instance_profile_name = ?", accountId, profileName)
                >= AwsErrors.MaxRolesPerInstanceProfile)
            {
                throw AwsErrors.InstanceProfileFull();
            }

            c.Execute("INSERT INTO iam_instance_profile_roles (account_id, instance_profile_name, role_name) VALUES (?, ?, ?)",
                accountId, CanonicalName(c, accountId, IamEntityKind.InstanceProfile, profileName), CanonicalName(c, accountId, IamEntityKind.Role, roleName));
        }, cancellationToken);

    public Task RemoveRoleFromInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, IamEntityKind.InstanceProfile, profileName);
            RequireEntity(c, accountId, IamEntityKind.Role, roleName);
            if (c.Execute("DELETE FROM iam_instance_profile_roles WHERE account_id = ? AND instance_profile_name = ? AND role_name = ?", accountId, profileName, roleName) == 0)
            {
                throw AwsErrors.RoleNotInInstanceProfile(roleName, profileName);
            }
        }, cancellationToken);

    private static List<InstanceProfile> InstanceProfiles(SqliteConnection c, string where, params object?[] args)
    {
        var profiles = c.Query($"SELECT {ProfileColumns} FROM iam_instance_profiles {where} ORDER BY instance_profile_name", r => new InstanceProfile(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), []), args);
        return profiles.Select(p => p with
        {
            RoleNames = c.Query("SELECT role_name FROM iam_instance_profile_roles WHERE account_id = ? AND instance_profile_name = ? ORDER BY role_name",
                r => r.GetString(0), p.AccountId, p.InstanceProfileName),
        }).ToList();
    }
}
