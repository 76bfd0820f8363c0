using System.Collections.Concurrent;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM's credential report: GenerateCredentialReport builds the account's CSV (<see cref="CredentialReportCsv"/>) from the
/// store (users, login profiles, access keys with their last use) and the audit trail (each user's last console sign-in),
/// and stores it; a report younger than 4 hours is reused (COMPLETE). GetCredentialReport returns the stored one, or
/// ReportNotPresent / ReportExpired (older than 4 hours) / ReportInProgress (this process is building the first one).
/// Both actions have no resource type: authorized on <c>*</c>, as on AWS.
/// </summary>
public sealed class CredentialReportService(
    IIdentityStore store, IAuditLog audit, AccessKeyService accessKeys, IAuthorizer authorizer, CredentialReportService.RootKey rootKey, TimeProvider time)
{
    /// <summary>The root user's access key (the one Cairn has, of the server's account): the root row's key columns.</summary>
    public sealed record RootKey(string AccountId, string AccessKeyId);

    private readonly ConcurrentDictionary<string, bool> _building = new(StringComparer.Ordinal);

    /// <summary>GenerateCredentialReport's State and Description.</summary>
    public sealed record GenerationState(string State, string Description);

    public async Task<GenerationState> GenerateAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "iam:GenerateCredentialReport", "*", cancellationToken);
        var account = context.AccountId;
        if (await store.FindCredentialReportAsync(account, cancellationToken) is { } report && report.IsFresh(time.GetUtcNow()))
        {
            return new("COMPLETE", $"The credential report generated at {report.GeneratedAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} is less than 4 hours old and is reused.");
        }

        if (!_building.TryAdd(account, true))
        {
            return new("INPROGRESS", "The credential report is being generated.");
        }

        try
        {
            var generatedAt = time.GetUtcNow();
            var content = await BuildAsync(account, cancellationToken);
            await store.PutCredentialReportAsync(new CredentialReport(account, generatedAt, content), cancellationToken);
        }
        finally
        {
            _building.TryRemove(account, out _);
        }

        return new("STARTED", "No report exists. Starting a new report generation task");
    }

    public async Task<CredentialReport> GetAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "iam:GetCredentialReport", "*", cancellationToken);
        var report = await store.FindCredentialReportAsync(context.AccountId, cancellationToken);
        if (report is null)
        {
            throw _building.ContainsKey(context.AccountId) ? AwsErrors.CredentialReportInProgress() : AwsErrors.CredentialReportNotPresent();
        }

        return report.IsFresh(time.GetUtcNow()) ? report : throw AwsErrors.CredentialReportExpired(report.GeneratedAt);
    }

    private async Task<string> BuildAsync(string account, CancellationToken cancellationToken)
    {
        var signIns = await audit.LastUsesAsync(account, ConsoleSignInService.AuditedAction, cancellationToken);
        var users = new List<CredentialReportCsv.UserCredentials>();
        foreach (var user in await store.ListUsersAsync(account, cancellationToken))
        {
            var profile = await store.FindLoginProfileAsync(account, user.UserName, cancellationToken);
            var keys = await accessKeys.WithLastUseAsync(await store.ListAccessKeysAsync(account, user.UserName, cancellationToken), cancellationToken);
            users.Add(new(user, profile, keys, signIns.TryGetValue(user.Arn, out var used) ? used : null));
        }

        var policy = await store.FindPasswordPolicyAsync(account, cancellationToken);
        AccessKeyLastUse? rootUse = null;
        if (account == rootKey.AccountId && (await audit.AccessKeyLastUsesAsync([rootKey.AccessKeyId], cancellationToken)).TryGetValue(rootKey.AccessKeyId, out var use))
        {
            rootUse = use;
        }

        return CredentialReportCsv.Build(new CredentialReportCsv.RootCredentials(account, AccessKeyActive: true, rootUse), users, policy);
    }
}
