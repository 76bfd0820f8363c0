using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>
/// RotateSecret and CancelRotateSecret. Cairn records the rotation configuration and shows it (DescribeSecret,
/// ListSecrets) but runs no Lambda functions: a rotation that would start now (RotateImmediately, true by default) is
/// refused with AWS's error for a function Secrets Manager cannot invoke, and nothing changes.
/// </summary>
internal sealed partial class SecretsManagerService
{
    private static readonly Regex LambdaArn = new(@"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9_$-]{1,128})?$", RegexOptions.CultureInvariant);

    private async Task<JsonObject> RotateSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.RotateSecret);
        var lambdaArn = NullIfEmpty(input.String("RotationLambdaARN"));
        if (lambdaArn is not null && !LambdaArn.IsMatch(lambdaArn))
        {
            throw AwsErrors.SecretRotationLambdaArn(lambdaArn);
        }

        var secret = Writable(await SecretAsync(context, input, "RotateSecret", cancellationToken));
        var configured = secret.Rotation;
        var function = lambdaArn ?? configured?.LambdaArn ?? throw AwsErrors.SecretRotationNotConfigured(secret.Name);
        var rules = input["RotationRules"] as JsonObject;
        var (days, expression, duration) = rules is not null
            ? (rules.Long("AutomaticallyAfterDays"), rules.String("ScheduleExpression"), rules.String("Duration"))
            : configured is not null
                ? (configured.AutomaticallyAfterDays, configured.ScheduleExpression, configured.Duration)
                : throw AwsErrors.SecretRotationRules($"{secret.Name} has no rotation schedule yet: give --rotation-rules, e.g. '{{\"ScheduleExpression\":\"rate(30 days)\"}}' or AutomaticallyAfterDays=30.");
        RotationSchedule.Parse(days, expression, duration);
        if (input["RotateImmediately"]?.GetValue<bool>() ?? true)
        {
            throw AwsErrors.SecretRotationFunctionNotRun(secret.Name, function);
        }

        var updated = await ChangeAsync(context, secret, s => Writable(s) with
        {
            Rotation = new SecretRotation(true, function, days, expression, duration, Now, s.Rotation?.LastRotated),
        }, cancellationToken);
        return ArnAndName(updated);
    }

    private async Task<JsonObject> CancelRotateSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = Writable(await SecretAsync(context, input, "CancelRotateSecret", cancellationToken));
        var updated = await ChangeAsync(context, secret, s => Writable(s) with { Rotation = s.Rotation is null ? new SecretRotation(false, null, null, null, null, Now, null) : s.Rotation with { Enabled = false } }, cancellationToken);
        return ArnAndName(updated);
    }
}
