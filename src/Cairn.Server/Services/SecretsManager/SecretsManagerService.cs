using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Secrets;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>
/// AWS Secrets Manager (JSON 1.1, target prefix secretsmanager), an adapter over <see cref="SecretService"/> (finding and
/// authorizing secrets with their resource policies, reading values) and <see cref="ISecretStore"/>. Every value is
/// encrypted under KMS before it is stored (<see cref="SecretCrypto"/>). Operation families: <c>.Secrets</c> (create,
/// update, delete, restore), <c>.Values</c> (values, versions, staging labels), <c>.Listing</c> (describe, list),
/// <c>.Tags</c>, <c>.Policies</c>, <c>.Passwords</c> (GetRandomPassword), <c>.Batch</c> (BatchGetSecretValue),
/// <c>.Replication</c> (replicas in other regions, <see cref="SecretReplication"/>), <c>.Rotation</c> (schedules recorded, no function run).
/// </summary>
internal sealed partial class SecretsManagerService(
    ISecretStore store, SecretService secrets, SecretCrypto crypto, SecretReplication replication, IAuthorizer authorizer, TimeProvider time) : IJsonService
{
    public string TargetPrefix => "secretsmanager";

    public string SigningName => "secretsmanager";

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "CreateSecret", "UpdateSecret", "DeleteSecret", "RestoreSecret",
        "GetSecretValue", "PutSecretValue", "ListSecretVersionIds", "UpdateSecretVersionStage",
        "DescribeSecret", "ListSecrets",
        "TagResource", "UntagResource",
        "GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy",
        "GetRandomPassword", "BatchGetSecretValue",
        "ReplicateSecretToRegions", "RemoveRegionsFromReplication", "StopReplicationToReplica",
        "RotateSecret", "CancelRotateSecret",
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreateSecret" => CreateSecretAsync(input, context, cancellationToken),
            "UpdateSecret" => UpdateSecretAsync(input, context, cancellationToken),
            "DeleteSecret" => DeleteSecretAsync(input, context, cancellationToken),
            "RestoreSecret" => RestoreSecretAsync(input, context, cancellationToken),
            "GetSecretValue" => GetSecretValueAsync(input, context, cancellationToken),
            "PutSecretValue" => PutSecretValueAsync(input, context, cancellationToken),
            "ListSecretVersionIds" => ListSecretVersionIdsAsync(input, context, cancellationToken),
            "UpdateSecretVersionStage" => UpdateSecretVersionStageAsync(input, context, cancellationToken),
            "DescribeSecret" => DescribeSecretAsync(input, context, cancellationToken),
            "ListSecrets" => ListSecretsAsync(input, context, cancellationToken),
            "TagResource" => TagResourceAsync(input, context, cancellationToken),
            "UntagResource" => UntagResourceAsync(input, context, cancellationToken),
            "GetResourcePolicy" => GetResourcePolicyAsync(input, context, cancellationToken),
            "PutResourcePolicy" => PutResourcePolicyAsync(input, context, cancellationToken),
            "DeleteResourcePolicy" => DeleteResourcePolicyAsync(input, context, cancellationToken),
            "GetRandomPassword" => GetRandomPasswordAsync(input, context, cancellationToken),
            "BatchGetSecretValue" => BatchGetSecretValueAsync(input, context, cancellationToken),
            "ReplicateSecretToRegions" => ReplicateSecretToRegionsAsync(input, context, cancellationToken),
            "RemoveRegionsFromReplication" => RemoveRegionsFromReplicationAsync(input, context, cancellationToken),
            "StopReplicationToReplica" => StopReplicationToReplicaAsync(input, context, cancellationToken),
            "RotateSecret" => RotateSecretAsync(input, context, cancellationToken),
            "CancelRotateSecret" => CancelRotateSecretAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("Secrets Manager", operation, Operations),
        };

    private DateTimeOffset Now => time.GetUtcNow();

    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape);

    private static JsonObject ArnAndName(SecretRecord secret) => new() { ["ARN"] = secret.Arn, ["Name"] = secret.Name };

    private static SecretRecord NotDeleted(SecretRecord secret) => secret.DeletedDate is null ? secret : throw AwsErrors.SecretMarkedForDeletion();

    /// <summary>A replica is written only through its primary (AWS's InvalidRequestException otherwise).</summary>
    private static SecretRecord NotReplica(SecretRecord secret) =>
        secret.PrimaryRegion is { } primary ? throw AwsErrors.SecretReplicaReadOnly(secret.Name, primary) : secret;

    /// <summary>A secret a write may change: not a replica, not scheduled for deletion.</summary>
    private static SecretRecord Writable(SecretRecord secret) => NotDeleted(NotReplica(secret));

    /// <summary>Authorizes the action on the secret the input's SecretId names and returns it.</summary>
    private Task<SecretRecord> SecretAsync(RequestContext context, JsonObject input, string action, CancellationToken cancellationToken) =>
        secrets.AuthorizedAsync(context, "secretsmanager:" + action, input.RequiredString("SecretId"), cancellationToken);

    /// <summary>
    /// Changes the secret in one store transaction (the change sees the stored secret and may refuse by throwing), then
    /// brings its replicas in step as the caller.
    /// </summary>
    private async Task<SecretRecord> ChangeAsync(RequestContext context, SecretRecord secret, Func<SecretRecord, SecretRecord> change, CancellationToken cancellationToken)
    {
        var changed = await store.UpdateAsync(secret.AccountId, secret.Region, secret.Name, change, cancellationToken) ?? throw AwsErrors.SecretNotFound(secret.Name);
        return changed.Replicas.Count == 0 ? changed : await replication.ReplicateAsync(context, changed, [], cancellationToken);
    }

    /// <summary>The value of a write: SecretString's UTF-8 bytes or SecretBinary's, both refused; null when neither is given.</summary>
    private static (byte[] Bytes, bool IsBinary)? ValueOf(JsonObject input)
    {
        var text = input.String("SecretString");
        var binary = input.Blob("SecretBinary");
        if (text is not null && binary is not null)
        {
            throw AwsErrors.SecretBothValues();
        }

        return text is not null ? (Encoding.UTF8.GetBytes(text), false) : binary is not null ? (binary, true) : null;
    }

    /// <summary>
    /// The versions after <paramref name="added"/> joins them with <paramref name="stages"/>: each label leaves the version
    /// that had it; when AWSCURRENT moves, the version that had it gets AWSPREVIOUS. Unlabelled versions beyond AWS's
    /// limit go, oldest first.
    /// </summary>
    private static List<SecretVersionRecord> WithVersion(IReadOnlyList<SecretVersionRecord> versions, SecretVersionRecord added)
    {
        var result = versions.Select(v => MoveLabels(v, added.Stages)).ToList();
        if (added.Stages.Contains(SecretRules.Current, StringComparer.Ordinal) && versions.FirstOrDefault(v => v.Stages.Contains(SecretRules.Current)) is { } current)
        {
            result = result.Select(v => v.VersionId == current.VersionId
                ? v with { Stages = [.. v.Stages.Where(s => s != SecretRules.Previous), SecretRules.Previous] }
                : v with { Stages = v.Stages.Where(s => s != SecretRules.Previous).ToList() }).ToList();
        }

        result.Add(added);
        var deprecated = result.Where(v => v.Stages.Count == 0).OrderBy(v => v.Created).ToList();
        var excess = result.Count - SecretRules.MaxVersions;
        return excess > 0 ? result.Except(deprecated.Take(excess)).ToList() : result;
    }

    private static SecretVersionRecord MoveLabels(SecretVersionRecord version, IReadOnlyList<string> taken) =>
        version with { Stages = version.Stages.Where(s => !taken.Contains(s, StringComparer.Ordinal)).ToList() };

    /// <summary>
    /// A new version of the secret's value (version id = the ClientRequestToken, or a new one), encrypted under
    /// <paramref name="keyId"/>; null when a version with that token already holds the same value (the retry of a call that
    /// succeeded), ResourceExistsException when it holds another.
    /// </summary>
    private async Task<SecretVersionRecord?> NewVersionAsync(RequestContext context, SecretRecord secret, string? token, string? keyId,
        (byte[] Bytes, bool IsBinary) value, IReadOnlyList<string> stages, CancellationToken cancellationToken)
    {
        var versionId = token ?? Guid.NewGuid().ToString();
        if (secret.Version(versionId) is { } existing)
        {
            var stored = await crypto.DecryptAsync(context, secret.Arn, existing.VersionId, existing.KeyArn, existing.Ciphertext, cancellationToken);
            return existing.IsBinary == value.IsBinary && stored.AsSpan().SequenceEqual(value.Bytes) ? null : throw AwsErrors.SecretVersionExists();
        }

        var (ciphertext, keyArn) = await crypto.EncryptAsync(context, secret.Arn, versionId, keyId, value.Bytes, cancellationToken);
        return new SecretVersionRecord(versionId, stages, Now, ciphertext, value.IsBinary, keyArn, null);
    }

    private static string PageToken(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cairn-secrets:{offset}")));

    private static int ParsePageToken(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("cairn-secrets:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(14), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw AwsErrors.SecretInvalidNextToken();
    }
}
