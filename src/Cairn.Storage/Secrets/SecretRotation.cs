namespace Cairn.Storage.Secrets;

/// <summary>
/// A secret's rotation configuration as RotateSecret recorded it: whether it is on (CancelRotateSecret turns it off and
/// keeps the rest), the Lambda function's ARN, the schedule (AutomaticallyAfterDays or ScheduleExpression, and Duration),
/// when it was configured and when the secret was last rotated (never, in Cairn: it runs no rotation functions).
/// </summary>
public sealed record SecretRotation(
    bool Enabled,
    string? LambdaArn,
    long? AutomaticallyAfterDays,
    string? ScheduleExpression,
    string? Duration,
    DateTimeOffset Configured,
    DateTimeOffset? LastRotated);
