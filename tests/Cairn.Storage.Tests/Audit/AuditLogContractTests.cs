using Cairn.Core.Audit;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Audit;

/// <summary>What every IAuditLog must do; each backend runs this suite through a subclass.</summary>
public abstract class AuditLogContractTests
{
    protected abstract IAuditLog Log { get; }

    protected static AuditEntry Entry(string principal, string action, string decision, DateTimeOffset time) =>
        new(time, Guid.NewGuid().ToString(), principal, "AKIAEXAMPLE", "us-east-1", action, action,
            "arn:aws:ssm:us-east-1:000000000000:parameter/x", decision, decision == "Deny" ? "AccessDeniedException" : null, "127.0.0.1");

    [StoreFact]
    public async Task Entries_older_than_a_time_are_deleted_oldest_first_a_batch_at_a_time()
    {
        var now = DateTimeOffset.UtcNow;
        Log.Append(
        [
            Entry("arn:aws:iam::000000000000:root", "ssm:A", "Allow", now.AddDays(-100)),
            Entry("arn:aws:iam::000000000000:root", "ssm:B", "Allow", now.AddDays(-91)),
            Entry("arn:aws:iam::000000000000:root", "ssm:C", "Allow", now.AddDays(-89)),
        ]);
        await Log.FlushAsync(CancellationToken.None);

        Assert.Equal(1, await Log.DeleteOlderThanAsync(now.AddDays(-90), 1, CancellationToken.None));
        Assert.Equal(["ssm:C", "ssm:B"], (await Log.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(e => e.Action));
        Assert.Equal(1, await Log.DeleteOlderThanAsync(now.AddDays(-90), 10, CancellationToken.None));
        Assert.Equal(0, await Log.DeleteOlderThanAsync(now.AddDays(-90), 10, CancellationToken.None));
        Assert.Equal(["ssm:C"], (await Log.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(e => e.Action));
    }

    [StoreFact]
    public async Task Last_uses_give_each_resources_latest_allowed_use_by_the_accounts_principals_and_age_out_with_retention()
    {
        var now = DateTimeOffset.UtcNow;
        const string A = "arn:aws:ssm:us-east-1:000000000000:parameter/a";
        const string B = "arn:aws:ssm:us-east-1:000000000000:parameter/b";
        static AuditEntry Use(string principal, string action, string resource, string decision, DateTimeOffset time) =>
            new(time, Guid.NewGuid().ToString(), principal, null, "us-east-1", action, action, resource, decision, null, "127.0.0.1");
        Log.Append(
        [
            Use("arn:aws:iam::000000000000:root", "ssm:GetParameter", A, "Allow", now.AddDays(-5)),
            Use("arn:aws:sts::000000000000:assumed-role/build/s1", "ssm:GetParameters", A, "Allow", now.AddDays(-2)),
            Use("arn:aws:iam::000000000000:user/eve", "ssm:GetParameter", A, "Deny", now.AddDays(-1)),
            Use("arn:aws:iam::111111111111:root", "ssm:GetParameter", A, "Allow", now.AddHours(-1)),
            Use("arn:aws:iam::000000000000:root", "ssm:PutParameter", A, "Allow", now.AddHours(-2)),
            Use("arn:aws:iam::000000000000:root", "ssm:GetParameterHistory", B, "Allow", now.AddDays(-100)),
        ]);
        await Log.FlushAsync(CancellationToken.None);
        // A later batch with an older use does not move a last use back.
        Log.Append([Use("arn:aws:iam::000000000000:root", "ssm:GetParameters", A, "Allow", now.AddDays(-30))]);
        await Log.FlushAsync(CancellationToken.None);

        var uses = await Log.LastUsesAsync("000000000000", "SSM:GetParameter", CancellationToken.None);
        Assert.Equal([A, B], uses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(now.AddDays(-2).ToUnixTimeMilliseconds(), uses[A].ToUnixTimeMilliseconds());
        Assert.Equal(now.AddHours(-1).ToUnixTimeMilliseconds(), (await Log.LastUsesAsync("111111111111", "ssm:GetParameter", CancellationToken.None))[A].ToUnixTimeMilliseconds());
        Assert.Equal(now.AddHours(-2).ToUnixTimeMilliseconds(), (await Log.LastUsesAsync("000000000000", "ssm:Put", CancellationToken.None))[A].ToUnixTimeMilliseconds());

        await Log.DeleteOlderThanAsync(now.AddDays(-90), 100, CancellationToken.None);
        Assert.Equal([A], (await Log.LastUsesAsync("000000000000", "ssm:GetParameter", CancellationToken.None)).Keys);
    }

    [StoreFact]
    public async Task An_access_keys_last_use_is_its_newest_authenticated_request_whatever_the_decision_and_outlives_retention()
    {
        var now = DateTimeOffset.UtcNow;
        var key = "AKIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var other = "AKIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var session = "ASIA" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        static AuditEntry Call(string? accessKeyId, string operation, string region, string decision, DateTimeOffset time) =>
            new(time, Guid.NewGuid().ToString(), "arn:aws:iam::000000000000:user/ci", accessKeyId, region, operation, operation, null, decision, null, "127.0.0.1");
        Log.Append(
        [
            Call(key, "ssm:GetParameter", "us-east-1", "Allow", now.AddDays(-100)),
            Call(key, "sts:GetCallerIdentity", "eu-west-1", "None", now.AddDays(-95)),
            Call(other, "kms:Decrypt", "us-west-2", "Allow", now.AddDays(-3)),
            Call(session, "ssm:GetParameter", "us-east-1", "Allow", now),
            Call(null, "ssm:GetParameter", "us-east-1", "Allow", now),
        ]);
        await Log.FlushAsync(CancellationToken.None);
        // A denied call is a use (the key authenticated it); a later batch with an older use does not move a last use back.
        Log.Append([Call(other, "secretsmanager:GetSecretValue", "ap-south-1", "Deny", now.AddDays(-1))]);
        await Log.FlushAsync(CancellationToken.None);
        Log.Append([Call(other, "ssm:PutParameter", "us-east-1", "Allow", now.AddDays(-2))]);
        await Log.FlushAsync(CancellationToken.None);

        await Log.DeleteOlderThanAsync(now.AddDays(-90), 100, CancellationToken.None);
        var uses = await Log.AccessKeyLastUsesAsync([key, other, session, "AKIANEVERUSED0000000"], CancellationToken.None);

        Assert.Equal(new[] { key, other }.Order(StringComparer.Ordinal), uses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((now.AddDays(-95).ToUnixTimeMilliseconds(), "sts", "eu-west-1"), (uses[key].Time.ToUnixTimeMilliseconds(), uses[key].Service, uses[key].Region));
        Assert.Equal((now.AddDays(-1).ToUnixTimeMilliseconds(), "secretsmanager", "ap-south-1"), (uses[other].Time.ToUnixTimeMilliseconds(), uses[other].Service, uses[other].Region));
        Assert.Empty(await Log.AccessKeyLastUsesAsync([], CancellationToken.None));
    }

    [StoreFact]
    public async Task Filters_by_principal_action_prefix_decision_and_time()
    {
        var now = DateTimeOffset.UtcNow;
        Log.Append(
        [
            Entry("arn:aws:iam::000000000000:root", "ssm:GetParameter", "Allow", now.AddHours(-3)),
            Entry("arn:aws:iam::000000000000:user/ci", "ssm:GetParameters", "Deny", now.AddMinutes(-5)),
            Entry("arn:aws:iam::000000000000:user/ci", "kms:Decrypt", "Allow", now.AddMinutes(-4)),
        ]);
        await Log.FlushAsync(CancellationToken.None);

        Assert.Equal(2, (await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/ci"), default)).Count);
        Assert.Equal(2, (await Log.QueryAsync(new AuditQuery(ActionPrefix: "SSM:get"), default)).Count);
        Assert.Single(await Log.QueryAsync(new AuditQuery(Decision: "deny"), default));
        Assert.Equal(2, (await Log.QueryAsync(new AuditQuery(Since: now.AddHours(-1)), default)).Count);
        Assert.Single(await Log.QueryAsync(new AuditQuery(Limit: 1), default));
    }

    [StoreFact]
    public async Task A_principal_filter_that_begins_an_arn_matches_the_arns_that_begin_with_it_newest_written_first()
    {
        var now = DateTimeOffset.UtcNow;
        const string Ci = "arn:aws:iam::000000000000:user/ci";
        Log.Append(
        [
            Entry(Ci, "ssm:One", "Allow", now.AddMinutes(-5)),
            Entry(Ci + "-2", "ssm:Two", "Allow", now.AddMinutes(-4)),
            Entry("arn:aws:iam::000000000000:user/path/ci", "ssm:Path", "Allow", now.AddMinutes(-3)),
            Entry("arn:aws:sts::000000000000:assumed-role/deploy/s1", "ssm:S1", "Allow", now.AddMinutes(-2)),
            Entry("arn:aws:sts::000000000000:assumed-role/deploy/s2", "ssm:S2", "Allow", now.AddMinutes(-1)),
            Entry("arn:aws:sts::000000000000:assumed-role/deployer/s3", "ssm:S3", "Allow", now.AddMinutes(-6)),
        ]);
        await Log.FlushAsync(CancellationToken.None);
        // A long request: written last, with the oldest time. The trail reads in the order written, and a window finds it.
        Log.Append([Entry(Ci, "ssm:Late", "Allow", now.AddMinutes(-10))]);
        await Log.FlushAsync(CancellationToken.None);

        Assert.Equal(["ssm:Late", "ssm:Two", "ssm:One"], (await Log.QueryAsync(new AuditQuery(PrincipalContains: Ci), default)).Select(e => e.Action));
        Assert.Equal(["ssm:Late", "ssm:S3"], (await Log.QueryAsync(new AuditQuery(Until: now.AddMinutes(-5.5)), default)).Select(e => e.Action));
        Assert.Equal(["ssm:S1", "ssm:Path"], (await Log.QueryAsync(new AuditQuery(Since: now.AddMinutes(-3.5), Until: now.AddMinutes(-1.5)), default)).Select(e => e.Action));
        // A window whose entries were written first and last: every one between them is read, only those in it answer.
        Assert.Equal(["ssm:S3", "ssm:One"], (await Log.QueryAsync(new AuditQuery(Since: now.AddMinutes(-6.5), Until: now.AddMinutes(-4.5)), default)).Select(e => e.Action));
        Assert.Equal(["ssm:Late"], (await Log.QueryAsync(new AuditQuery(Since: now.AddMinutes(-11), Until: now.AddMinutes(-9)), default)).Select(e => e.Action));
        Assert.Empty(await Log.QueryAsync(new AuditQuery(Since: now.AddMinutes(-20), Until: now.AddMinutes(-15)), default));
        Assert.Equal(["ssm:S2", "ssm:S1"],
            (await Log.QueryAsync(new AuditQuery(PrincipalContains: "arn:aws:sts::000000000000:assumed-role/deploy/"), default)).Select(e => e.Action));
        Assert.Equal(["ssm:S2"],
            (await Log.QueryAsync(new AuditQuery(PrincipalContains: "arn:aws:sts::000000000000:assumed-role/deploy/", Since: now.AddSeconds(-90)), default)).Select(e => e.Action));
        Assert.Equal(["ssm:Two"], (await Log.QueryAsync(new AuditQuery(PrincipalContains: Ci, Limit: 1, Skip: 1), default)).Select(e => e.Action));
        // Not an ARN's beginning: anywhere in the ARN, as before.
        Assert.Equal(["ssm:Late", "ssm:Path", "ssm:Two", "ssm:One"], (await Log.QueryAsync(new AuditQuery(PrincipalContains: "/ci"), default)).Select(e => e.Action));
        Assert.Empty(await Log.QueryAsync(new AuditQuery(PrincipalContains: "arn:aws:iam::000000000000:user/cj"), default));
    }

    [StoreFact]
    public async Task Until_keeps_older_entries_and_skip_pages_through_the_newest_first()
    {
        var now = DateTimeOffset.UtcNow;
        Log.Append(Enumerable.Range(0, 5).Select(i => Entry("arn:aws:iam::000000000000:user/pager", $"ssm:Page{i}", "Allow", now.AddMinutes(i - 10))));
        await Log.FlushAsync(CancellationToken.None);

        var older = await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", Until: now.AddMinutes(-7)), default);
        var second = await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", Limit: 2, Skip: 2), default);
        var window = await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", Since: now.AddMinutes(-9), Until: now.AddMinutes(-7)), default);

        Assert.Equal(["ssm:Page2", "ssm:Page1", "ssm:Page0"], older.Select(e => e.Action));
        Assert.Equal(["ssm:Page2", "ssm:Page1"], second.Select(e => e.Action));
        Assert.Equal(["ssm:Page2", "ssm:Page1"], window.Select(e => e.Action));
        Assert.Empty(await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", Skip: 5), default));
        Assert.Equal(5, (await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", AccountId: "000000000000"), default)).Count);
        Assert.Empty(await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/pager", AccountId: "111111111111"), default));
    }

    [StoreFact]
    public async Task The_account_filter_reads_the_arns_account_field_not_an_account_id_written_into_a_path()
    {
        var now = DateTimeOffset.UtcNow;
        Log.Append([
            Entry("arn:aws:iam::111111111111:user/x:000000000000:/mallory", "ssm:Forged", "Allow", now),
            Entry("arn:aws:sts::000000000000:assumed-role/ci/session", "ssm:Real", "Allow", now),
        ]);
        await Log.FlushAsync(CancellationToken.None);

        var mine = await Log.QueryAsync(new AuditQuery(AccountId: "000000000000", Since: now.AddMinutes(-1)), default);

        Assert.Equal(["ssm:Real"], mine.Select(e => e.Action));
    }

    [StoreFact]
    public async Task An_entry_comes_back_with_every_field_and_entries_come_back_newest_first()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var full = new AuditEntry(now, "req-1", "arn:aws:iam::000000000000:user/ci", "AKIAFULL", "eu-west-1", "kms:CreateKey", "kms:CreateKey",
            null, "Allow", null, "10.0.0.7");
        var bare = new AuditEntry(now.AddSeconds(1), "req-2", "arn:aws:iam::000000000000:root", null, "us-east-1", "ssm:GetParameter", "ssm:GetParameter",
            "arn:aws:ssm:us-east-1:000000000000:parameter/p", "None", "ValidationException", null);
        Log.Append([full]);
        Log.Append([bare]);
        await Log.FlushAsync(CancellationToken.None);

        var entries = await Log.QueryAsync(new AuditQuery(), CancellationToken.None);

        Assert.Equal([bare, full], entries);
    }

    [StoreFact]
    public async Task A_limited_query_returns_the_newest_entries_and_an_empty_log_returns_none()
    {
        Assert.Empty(await Log.QueryAsync(new AuditQuery(), CancellationToken.None));
        Assert.Equal(0, await Log.DeleteOlderThanAsync(DateTimeOffset.UtcNow, 10, CancellationToken.None));

        var now = DateTimeOffset.UtcNow;
        Log.Append(Enumerable.Range(0, 5).Select(i => Entry("arn:aws:iam::000000000000:root", $"ssm:Op{i}", "Allow", now.AddSeconds(i))));
        await Log.FlushAsync(CancellationToken.None);

        var newest = await Log.QueryAsync(new AuditQuery(Limit: 2), CancellationToken.None);
        Assert.Equal(["ssm:Op4", "ssm:Op3"], newest.Select(e => e.Action));
    }

    [StoreFact]
    public async Task Entries_appended_from_many_threads_are_all_there_after_a_flush()
    {
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                Log.Append([Entry($"arn:aws:iam::000000000000:user/t{t}", "ssm:GetParameter", "Allow", now)]);
            }
        })));
        await Log.FlushAsync(CancellationToken.None);

        var entries = await Log.QueryAsync(new AuditQuery(Limit: 1000), CancellationToken.None);

        Assert.Equal(400, entries.Count);
        Assert.Equal(400, entries.Select(e => e.RequestId).Distinct().Count());
        Assert.Equal(50, (await Log.QueryAsync(new AuditQuery(PrincipalContains: "user/t3", Limit: 1000), CancellationToken.None)).Count);
    }
}
