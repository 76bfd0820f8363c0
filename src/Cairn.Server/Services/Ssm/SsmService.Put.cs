using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    // A concurrent writer changing the type or key between our encryption and our write is rare; retry a few times.
    private const int MaxWriteAttempts = 5;

    private async Task<JsonObject> PutParameterAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.PutParameter);
        var scope = ScopeOf(context);
        var value = input.RequiredString("Value");
        if (value.Length == 0)
        {
            throw AwsErrors.EmptyParameterValue();
        }

        var overwrite = input.Bool("Overwrite");
        var tags = input.Tags("Tags");
        if (overwrite && tags.Count > 0)
        {
            throw AwsErrors.TagsWithOverwrite();
        }

        var name = ParameterName.ParseForWrite(input.RequiredString("Name"), scope);
        var dataType = input.String("DataType");
        ParameterDataTypes.Validate(dataType);
        if (tags.Count > ParameterTags.MaxPerResource)
        {
            throw AwsErrors.TooManyTags(ParameterTags.MaxPerResource);
        }

        var allowedPattern = input.String("AllowedPattern");
        if (!string.IsNullOrEmpty(allowedPattern))
        {
            AllowedPattern.Validate(allowedPattern);
        }

        var now = Now;
        var policies = input.String("Policies") is { } policyText ? ParameterPolicies.Parse(policyText, now) : null;
        await AuthorizeAsync(context, "ssm:PutParameter", scope.ArnFor(name.Key), cancellationToken);

        var request = new PutParameterInput
        {
            Name = name,
            Value = value,
            Type = input.String("Type"),
            KeyId = input.String("KeyId"),
            Description = input.String("Description"),
            Overwrite = overwrite,
            AllowedPattern = allowedPattern,
            Tags = tags,
            Tier = input.String("Tier"),
            Policies = policies,
            DataType = dataType,
            User = context.Principal.Arn,
            Now = now,
        };

        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var current = await _repository.GetAsync(scope, name.Key, cancellationToken);
            var latest = current is null || current.IsExpired(now) ? null : current.Version;
            var plan = PutParameterPlanner.Resolve(request, latest);
            var stored = plan.IsSecure
                ? await _crypto.EncryptAsync(context, scope, name.Key, plan.KeyId!, LikelyAdvanced(request, latest), value, cancellationToken)
                : value;
            try
            {
                var written = await _repository.PutAsync(scope, name, now,
                    state => PutParameterPlanner.Decide(request, plan, stored, state), cancellationToken);
                return new JsonObject { ["Version"] = written.Version, ["Tier"] = written.Tier };
            }
            catch (ParameterWriteConflictException)
            {
                // Another writer changed the type or key since we encrypted: encrypt again for the new state.
            }
        }

        throw TooManyUpdates();
    }

    /// <summary>Which KMS permission a customer key needs: advanced parameters use envelope encryption (GenerateDataKey).</summary>
    private static bool LikelyAdvanced(PutParameterInput request, ParameterVersion? latest) =>
        request.Tier == ParameterTiers.Advanced
        || latest?.Tier == ParameterTiers.Advanced
        || (request.Tier == ParameterTiers.IntelligentTiering
            && (request.Value.Length > ParameterTiers.StandardMaxValueLength || request.Policies is { IsEmpty: false }));
}
