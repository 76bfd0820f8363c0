using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Application.Parameters;

public sealed partial class ParameterService
{
    // A concurrent writer changing the type or key between our encryption and our write is rare; retry a few times.
    private const int MaxWriteAttempts = 5;

    /// <summary>
    /// PutParameter: checks the request as SSM does (AWS's texts), authorizes ssm:PutParameter on the parameter, encrypts
    /// a SecureString under its key as the caller (KMS authorized as SSM's call on the caller's behalf) and stores the new version.
    /// </summary>
    public async Task<ParameterVersion> PutParameterAsync(RequestContext context, PutParameterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var scope = ScopeOf(context);
        if (request.Value.Length == 0)
        {
            throw AwsErrors.EmptyParameterValue();
        }

        if (request.Overwrite && request.Tags.Count > 0)
        {
            throw AwsErrors.TagsWithOverwrite();
        }

        var name = ParameterName.ParseForWrite(request.Name, scope);
        ParameterDataTypes.Validate(request.DataType);
        if (request.Tags.Count > ParameterTags.MaxPerResource)
        {
            throw AwsErrors.TooManyTags(ParameterTags.MaxPerResource);
        }

        if (!string.IsNullOrEmpty(request.AllowedPattern))
        {
            AllowedPattern.Validate(request.AllowedPattern);
        }

        var now = time.GetUtcNow();
        var policies = request.Policies is { } policyText ? ParameterPolicies.Parse(policyText, now) : null;
        await authorizer.AuthorizeAsync(context, "ssm:PutParameter", scope.ArnFor(name.Key), cancellationToken);

        var input = new PutParameterInput
        {
            Name = name,
            Value = request.Value,
            Type = request.Type,
            KeyId = request.KeyId,
            Description = request.Description,
            Overwrite = request.Overwrite,
            AllowedPattern = request.AllowedPattern,
            Tags = request.Tags,
            Tier = request.Tier,
            Policies = policies,
            DataType = request.DataType,
            User = context.Principal.Arn,
            Now = now,
        };

        var nameChecked = false;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            // The head without labels (deciding needs none): from the head cache when the store has one.
            var current = await repository.GetWithoutLabelsAsync(scope, name.Key, cancellationToken);
            var latest = current is null || current.IsExpired(now) ? null : current.Version;
            if (latest is null && !nameChecked && naming is not null)
            {
                // Only a name being created: overwrites of existing names are never blocked by a rule made later.
                await naming.CheckNewNameAsync(context, scope, name, cancellationToken);
                nameChecked = true;
            }

            var plan = PutParameterPlanner.Resolve(input, latest);
            var stored = plan.IsSecure
                ? await crypto.EncryptAsync(context, scope, name.Key, plan.KeyId!, LikelyAdvanced(input, latest), input.Value, cancellationToken)
                : input.Value;
            try
            {
                return await repository.PutAsync(scope, name, now, state => PutParameterPlanner.Decide(input, plan, stored, state), cancellationToken);
            }
            catch (ParameterWriteConflictException)
            {
                // Another writer changed the type or key since we encrypted: encrypt again for the new state.
            }
        }

        throw AwsErrors.TooManyParameterUpdates();
    }

    /// <summary>Which KMS permission a customer key needs: advanced parameters use envelope encryption (GenerateDataKey).</summary>
    private static bool LikelyAdvanced(PutParameterInput request, ParameterVersion? latest) =>
        request.Tier == ParameterTiers.Advanced
        || latest?.Tier == ParameterTiers.Advanced
        || (request.Tier == ParameterTiers.IntelligentTiering
            && (request.Value.Length > ParameterTiers.StandardMaxValueLength || request.Policies is { IsEmpty: false }));
}
