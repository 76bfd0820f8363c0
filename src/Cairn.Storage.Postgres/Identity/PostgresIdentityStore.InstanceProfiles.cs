using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>Instance profiles and the role each holds.</summary>
public sealed partial class PostgresIdentityStore
{
    private const string ProfileColumns = "account_id, instance_profile_name, instance_profile_id, path, arn, created_at";

    public Task CreateInstanceProfileAsync(InstanceProfile profile, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.instance_profiles WHERE account_id = $1 AND instance_profile_name = $2",
                    profile.AccountId, profile.InstanceProfileName).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.InstanceProfileExists(profile.InstanceProfileName);
            }

            await s.ExecuteAsync($"INSERT INTO cairn_identity.instance_profiles ({ProfileColumns}) VALUES ($1, $2, $3, $4, $5, $6)",
                profile.AccountId, profile.InstanceProfileName, profile.InstanceProfileId, profile.Path, profile.Arn, profile.CreateDate).ConfigureAwait(false);
            await DeleteTagsAsync(s, profile.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName).ConfigureAwait(false);
            await InsertTagsAsync(s, profile.AccountId, IamEntityKind.InstanceProfile, profile.InstanceProfileName, tags, int.MaxValue).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<InstanceProfile?> FindInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken) =>
        (await database.ReadAsync(s => InstanceProfilesAsync(s, "WHERE account_id = $1 AND instance_profile_name = $2", accountId, name), cancellationToken)
            .ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => InstanceProfilesAsync(s, "WHERE account_id = $1", accountId), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<InstanceProfile>> ListInstanceProfilesForRoleAsync(string accountId, string roleName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => InstanceProfilesAsync(s,
            "WHERE account_id = $1 AND instance_profile_name IN (SELECT instance_profile_name FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND role_name = $2)",
            accountId, roleName), cancellationToken).ConfigureAwait(false);

    public Task DeleteInstanceProfileAsync(string accountId, string name, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.InstanceProfile, name).ConfigureAwait(false);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND instance_profile_name = $2", accountId, name)
                    .ConfigureAwait(false) > 0)
            {
                throw AwsErrors.MustRemoveRolesFromInstanceProfile();
            }

            await DeleteTagsAsync(s, accountId, IamEntityKind.InstanceProfile, name).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.instance_profiles WHERE account_id = $1 AND instance_profile_name = $2", accountId, name).ConfigureAwait(false);
        }, cancellationToken);

    public Task AddRoleToInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.InstanceProfile, profileName).ConfigureAwait(false);
            await RequireEntityAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND instance_profile_name = $2", accountId, profileName)
                    .ConfigureAwait(false) >= AwsErrors.MaxRolesPerInstanceProfile)
            {
                throw AwsErrors.InstanceProfileFull();
            }

            await s.ExecuteAsync("INSERT INTO cairn_identity.instance_profile_roles (account_id, instance_profile_name, role_name) VALUES ($1, $2, $3)",
                accountId, await CanonicalNameAsync(s, accountId, IamEntityKind.InstanceProfile, profileName).ConfigureAwait(false),
                await CanonicalNameAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false)).ConfigureAwait(false);
        }, cancellationToken);

    public Task RemoveRoleFromInstanceProfileAsync(string accountId, string profileName, string roleName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, IamEntityKind.InstanceProfile, profileName).ConfigureAwait(false);
            await RequireEntityAsync(s, accountId, IamEntityKind.Role, roleName).ConfigureAwait(false);
            if (await s.ExecuteAsync("DELETE FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND instance_profile_name = $2 AND role_name = $3",
                    accountId, profileName, roleName).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.RoleNotInInstanceProfile(roleName, profileName);
            }
        }, cancellationToken);

    private static async Task<List<InstanceProfile>> InstanceProfilesAsync(PostgresSession s, string where, params object?[] args)
    {
        var profiles = await s.QueryAsync($"SELECT {ProfileColumns} FROM cairn_identity.instance_profiles {where} ORDER BY {ByName("instance_profile_name")}",
            r => new InstanceProfile(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), []), args).ConfigureAwait(false);
        var result = new List<InstanceProfile>(profiles.Count);
        foreach (var profile in profiles)
        {
            var roles = await s.QueryAsync(
                $"SELECT role_name FROM cairn_identity.instance_profile_roles WHERE account_id = $1 AND instance_profile_name = $2 ORDER BY {ByName("role_name")}",
                r => r.GetString(0), profile.AccountId, profile.InstanceProfileName).ConfigureAwait(false);
            result.Add(profile with { RoleNames = roles });
        }

        return result;
    }
}
