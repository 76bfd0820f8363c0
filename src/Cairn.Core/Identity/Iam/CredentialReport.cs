namespace Cairn.Core.Identity.Iam;

/// <summary>An account's last generated credential report: the CSV text GetCredentialReport returns (base64 on the wire).</summary>
public sealed record CredentialReport(string AccountId, DateTimeOffset GeneratedAt, string Content)
{
    /// <summary>IAM reuses a report younger than this (GenerateCredentialReport answers COMPLETE); an older one is expired.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    public bool IsFresh(DateTimeOffset now) => now - GeneratedAt < Lifetime;
}
