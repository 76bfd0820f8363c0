using System.Text.Json;
using Cairn.Core.Builds;
using Cairn.Core.Buildspec;

namespace Cairn.Runner.Builds;

/// <summary>
/// DOWNLOAD_SOURCE's Secrets Manager step: env.secrets-manager and SECRETS_MANAGER variables
/// (<c>secret-id:json-key:version-stage:version-id</c>) read as the build's identity, each value masked before any
/// command runs. A failure ends the phase with "Secrets Manager Error" and the fix.
/// </summary>
internal sealed partial class BuildRun
{
    /// <summary>False when the phase failed.</summary>
    private async Task<bool> ResolveSecretsManagerAsync(BuildEnvironment environment)
    {
        if (environment.SecretsManagerUses.Count == 0)
        {
            return true;
        }

        _sink.Say("Decrypting secrets manager environment variables");
        if (_request.Secrets is not { } source)
        {
            Finish(BuildStatuses.Failed, SecretsManagerError, "no Secrets Manager to read the build's secrets from",
                "run the build against Cairn's data directory (--data) or a running server (--endpoint-url).");
            return false;
        }

        foreach (var use in environment.SecretsManagerUses.ToList())
        {
            SecretsManagerLookup lookup;
            try
            {
                lookup = await source.GetSecretValueAsync(use.SecretId, use.VersionStage, use.VersionId, _cancellation.Token);
            }
            catch (OperationCanceledException) when (_cancellation.Token.IsCancellationRequested)
            {
                var (status, code, message) = Interruption();
                _interrupted = true;
                Finish(status, code, message);
                return false;
            }
            catch (Exception error) when (error is HttpRequestException or IOException or InvalidOperationException or TimeoutException)
            {
                Finish(BuildStatuses.Failed, SecretsManagerError, error.Message);
                return false;
            }

            if (lookup.Denied is { } denial)
            {
                Finish(BuildStatuses.Failed, SecretsManagerError, $"AccessDeniedException: {denial.Message}", SecretsManagerFix(use, denial));
                return false;
            }

            if (lookup.Value is not { } value)
            {
                Finish(BuildStatuses.Failed, SecretsManagerError, $"{lookup.ErrorCode}: {lookup.ErrorMessage}",
                    $"the variable {use.Name} reads secret {use.SecretId}; {_request.AwsCommand} secretsmanager list-secrets lists the secrets this account has.");
                return false;
            }

            if (use.JsonKey is { } key)
            {
                if (JsonValueOf(value, key) is not { } field)
                {
                    Finish(BuildStatuses.Failed, SecretsManagerError, $"secret key not found in JSON: {key} (secret {use.SecretId}, variable {use.Name})",
                        $"the secret's value must be a JSON object with the key {key}; leave the json-key out ({use.SecretId}) to get the whole value.");
                    return false;
                }

                value = field;
            }

            environment.SetSecretsManagerValue(use.Name, value);
            _sink.Masker.AddSecrets([value]);
        }

        return true;
    }

    /// <summary>The member's text: a string as it is, anything else as its JSON; null when the value is no JSON object or lacks the key.</summary>
    private static string? JsonValueOf(string json, string key)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(key, out var member))
            {
                return null;
            }

            return member.ValueKind == JsonValueKind.String ? member.GetString() : member.GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The statement the role lacks (secretsmanager:GetSecretValue on the secret, or kms:Decrypt on its key) and the command that adds it.</summary>
    private string SecretsManagerFix(SecretsManagerVariable use, AccessDenial denial)
    {
        var action = denial.Action ?? "secretsmanager:GetSecretValue";
        var resource = denial.Resource
            ?? (use.SecretId.StartsWith("arn:", StringComparison.Ordinal) ? use.SecretId : $"arn:aws:secretsmanager:{_request.Region}:{_request.AccountId}:secret:{use.SecretId}-??????");
        var grant = PermissionFix.Grant(denial.PrincipalArn, action, resource, $"cairn-build-{_request.Identity.ProjectName}", _request.AwsCommand);
        return $"the build's role needs {action} on {resource} to read {use.Name}: add\n{grant.Statement}"
            + (grant.Command is { } command ? $"\nwith: {command}" : string.Empty);
    }
}
