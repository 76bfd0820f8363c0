namespace Cairn.Storage.Logs;

/// <summary>
/// A CloudWatch Logs log group of one account and region: its retention (null keeps events forever), class, the KMS key
/// it names (recorded, not used to encrypt), deletion protection and tags.
/// </summary>
public sealed record LogGroupRecord(
    string AccountId,
    string Region,
    string Name,
    DateTimeOffset Created,
    int? RetentionInDays,
    string LogGroupClass,
    string? KmsKeyId,
    bool DeletionProtection,
    IReadOnlyDictionary<string, string> Tags);
