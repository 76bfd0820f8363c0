using Cairn.Application.Identity;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Passwords;
using Cairn.Storage.Sessions;
using Cairn.Server.Tests.Ssm;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>The console's sign-in check: accounts by id or alias, users by login profile, the root by its secret key, the lockout and the audit.</summary>
public sealed class ConsoleSignInTests : IDisposable
{
    private const string Password = "Correct-Horse-1";
    private const string RootSecret = "root-secret";

    private readonly IdentityHarness _iam = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ConsoleSignInService _signIn;

    public ConsoleSignInTests()
    {
        _signIn = Server();
    }

    /// <summary>One more server on the same database (a second process behind the load balancer, or this one restarted).</summary>
    private ConsoleSignInService Server() =>
        new(_iam.Store, _iam.Get<IConsoleSignInFailureStore>(), _iam.Get<IAuditLog>(), new ConsoleSignInOptions(Account, RootSecret, "us-east-1"), _clock);

    public void Dispose() => _iam.Dispose();

    private Task<ConsoleSignInResult> SignIn(string account, string user, string password) =>
        _signIn.SignInAsync(account, user, password, "192.0.2.7", CancellationToken.None);

    private async Task UserWithPasswordAsync(string name, bool resetRequired = false)
    {
        await _iam.CallIam("CreateUser", ("UserName", name));
        await _iam.CallIam("CreateLoginProfile", ("UserName", name), ("Password", Password), ("PasswordResetRequired", resetRequired ? "true" : "false"));
    }

    private async Task<IReadOnlyList<AuditEntry>> SignInAuditAsync()
    {
        var audit = _iam.Get<IAuditLog>();
        await audit.FlushAsync(CancellationToken.None);
        return await audit.QueryAsync(new AuditQuery(ActionPrefix: "signin:"), CancellationToken.None);
    }

    [Fact]
    public async Task A_user_signs_in_with_its_login_profiles_password_by_account_id_or_alias()
    {
        await UserWithPasswordAsync("alice");
        await _iam.CallIam("CreateAccountAlias", ("AccountAlias", "build-team"));

        var byId = await SignIn(Account, "alice", Password);
        var byAlias = await SignIn("Build-Team", "ALICE", Password);

        Assert.Equal(ConsoleSignInOutcome.SignedIn, byId.Outcome);
        Assert.Equal((PrincipalKind.User, $"arn:aws:iam::{Account}:user/alice", Account, false), (byId.Principal!.Kind, byId.Principal.Arn, byId.AccountId, byId.PasswordResetRequired));
        Assert.StartsWith("AIDA", byId.Principal.UserId, StringComparison.Ordinal);
        Assert.Equal(byId.Principal, byAlias.Principal);
    }

    [Fact]
    public async Task The_root_signs_in_as_root_with_its_secret_access_key()
    {
        var root = await SignIn(Account, "root", RootSecret);

        Assert.True(root.Succeeded);
        Assert.Equal(Principal.Root(Account), root.Principal);
        Assert.False((await SignIn(Account, "root", "not-the-secret")).Succeeded);
        Assert.False((await SignIn("999999999999", "root", RootSecret)).Succeeded);
    }

    [Fact]
    public async Task Every_failure_says_the_same_and_carries_no_principal()
    {
        await UserWithPasswordAsync("alice");
        await _iam.CallIam("CreateUser", ("UserName", "nopassword"));

        ConsoleSignInResult[] failures =
        [
            await SignIn(Account, "alice", "Wrong-Horse-1"),
            await SignIn(Account, "ghost", Password),
            await SignIn("999999999999", "alice", Password),
            await SignIn("no-such-alias", "alice", Password),
            await SignIn(Account, "nopassword", Password),
            await SignIn(Account, "alice", string.Empty),
        ];

        Assert.All(failures, f => Assert.Equal((ConsoleSignInOutcome.Failed, null, "Your authentication information is incorrect. Please try again."), (f.Outcome, f.Principal, f.Message)));
    }

    [Fact]
    public async Task A_login_profile_that_requires_a_reset_signs_in_with_the_reset_flag()
    {
        await UserWithPasswordAsync("alice", resetRequired: true);

        var result = await SignIn(Account, "alice", Password);

        Assert.True(result.Succeeded);
        Assert.True(result.PasswordResetRequired);
    }

    [Fact]
    public async Task An_expired_password_asks_for_a_reset_or_with_HardExpiry_refuses()
    {
        await UserWithPasswordAsync("alice");
        await _iam.CallIam("UpdateAccountPasswordPolicy", ("MaxPasswordAge", "30"));
        var changedAt = (await _iam.Store.FindLoginProfileAsync(Account, "alice", CancellationToken.None))!.PasswordChangedAt;
        _clock.Advance(changedAt.AddDays(30) - _clock.GetUtcNow());

        var soft = await SignIn(Account, "alice", Password);
        await _iam.CallIam("UpdateAccountPasswordPolicy", ("MaxPasswordAge", "30"), ("HardExpiry", "true"));
        var hard = await SignIn(Account, "alice", Password);

        Assert.Equal((ConsoleSignInOutcome.SignedIn, true), (soft.Outcome, soft.PasswordResetRequired));
        Assert.Equal((ConsoleSignInOutcome.PasswordExpired, null), (hard.Outcome, hard.Principal));
        Assert.Contains("update-login-profile", hard.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_failures_in_fifteen_minutes_lock_the_user_out_without_checking_the_password_until_the_first_ages_out()
    {
        await UserWithPasswordAsync("alice");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ConsoleSignInOutcome.Failed, (await SignIn(Account, "alice", "Wrong-Horse-" + i)).Outcome);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Locked: even the right password fails, and the wait counts from the first failure (15 - 5 = 10 minutes).
        var locked = await SignIn(Account, "alice", Password);
        Assert.Equal((ConsoleSignInOutcome.Locked, null, TimeSpan.FromMinutes(10)), (locked.Outcome, locked.Principal, locked.RetryAfter));
        Assert.Equal("Too many failed sign-ins. Try again in 10 minutes, or ask an administrator to check the account, user name and password.", locked.Message);
        Assert.Equal(ConsoleSignInOutcome.Locked, (await SignIn(Account.ToString(), "ALICE", Password)).Outcome);

        // Another user of the same account is not locked.
        await UserWithPasswordAsync("bob");
        Assert.True((await SignIn(Account, "bob", Password)).Succeeded);

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(TimeSpan.FromMinutes(1), (await SignIn(Account, "alice", Password)).RetryAfter);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await SignIn(Account, "alice", Password)).Succeeded);
    }

    [Fact]
    public async Task The_lockout_counts_an_account_by_id_and_by_alias_as_one()
    {
        await UserWithPasswordAsync("alice");
        await _iam.CallIam("CreateAccountAlias", ("AccountAlias", "build-team"));
        for (var i = 0; i < 5; i++)
        {
            await SignIn(i % 2 == 0 ? Account : "build-team", "alice", "Wrong-Horse-1");
        }

        Assert.Equal(ConsoleSignInOutcome.Locked, (await SignIn("build-team", "alice", Password)).Outcome);
    }

    [Fact]
    public async Task Failures_through_several_servers_add_up_and_lock_the_user_out_on_all_of_them()
    {
        await UserWithPasswordAsync("alice");
        ConsoleSignInService[] servers = [_signIn, Server(), Server()];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ConsoleSignInOutcome.Failed, (await servers[i % 3].SignInAsync(Account, "alice", "Wrong-Horse-1", "192.0.2.7", CancellationToken.None)).Outcome);
        }

        // Each server saw at most two failures; together they are five, and a server started now sees them too.
        foreach (var server in servers.Append(Server()))
        {
            Assert.Equal(ConsoleSignInOutcome.Locked, (await server.SignInAsync(Account, "alice", Password, "192.0.2.7", CancellationToken.None)).Outcome);
        }
    }

    [Fact]
    public async Task A_success_on_one_server_clears_the_failures_another_counted()
    {
        await UserWithPasswordAsync("alice");
        var other = Server();
        for (var i = 0; i < 4; i++)
        {
            await SignIn(Account, "alice", "Wrong-Horse-1");
        }

        Assert.True((await other.SignInAsync(Account, "alice", Password, "192.0.2.7", CancellationToken.None)).Succeeded);
        for (var i = 0; i < 4; i++)
        {
            await SignIn(Account, "alice", "Wrong-Horse-1");
        }

        // Four failures since the success: not locked (without the clearing it would be eight).
        Assert.True((await SignIn(Account, "alice", Password)).Succeeded);
    }

    [Fact]
    public async Task The_store_keeps_neither_the_user_name_nor_the_password_only_a_keyed_hash()
    {
        await SignIn(Account, "Typed-Password-In-User-Box", "Other-Secret-1");
        var options = new ConsoleSignInOptions(Account, RootSecret, "us-east-1");
        var store = _iam.Get<IConsoleSignInFailureStore>();
        var since = _clock.GetUtcNow().AddMinutes(-1);

        Assert.Single(await store.FindRecentAsync(options.FailureKey($"{Account}/TYPED-PASSWORD-IN-USER-BOX"), since, 5, CancellationToken.None));
        // Another root secret (another installation) derives another key: the hash cannot be matched without the secret.
        Assert.Empty(await store.FindRecentAsync(new ConsoleSignInOptions(Account, "other-secret", "us-east-1").FailureKey($"{Account}/TYPED-PASSWORD-IN-USER-BOX"),
            since, 5, CancellationToken.None));
        foreach (var file in Directory.GetFiles(_iam.DataDirectory, "cairn.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf("TYPED-PASSWORD"u8));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("Typed-Password"u8));
            Assert.Equal(-1, bytes.AsSpan().IndexOf("Other-Secret"u8));
        }
    }

    [Fact]
    public async Task Every_sign_in_is_audited_as_ConsoleLogin_without_the_password()
    {
        await UserWithPasswordAsync("alice");
        await SignIn(Account, "alice", Password);
        await SignIn(Account, "alice", "Wrong-Horse-1");
        await SignIn(Account, "Typed-Password-In-User-Box", Password);

        var entries = (await SignInAuditAsync()).OrderBy(e => e.Decision).ThenBy(e => e.PrincipalArn).ToList();

        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(("signin:ConsoleLogin", "signin:ConsoleLogin", "192.0.2.7"), (e.Operation, e.Action, e.SourceIp)));
        Assert.Equal(("Allow", $"arn:aws:iam::{Account}:user/alice", (string?)null), (entries[0].Decision, entries[0].PrincipalArn, entries[0].ErrorCode));
        Assert.Equal(("Deny", "HIDDEN_DUE_TO_SECURITY_REASONS", "FailedAuthentication"), (entries[1].Decision, entries[1].PrincipalArn, entries[1].ErrorCode));
        Assert.Equal(("Deny", $"arn:aws:iam::{Account}:user/alice", "FailedAuthentication"), (entries[2].Decision, entries[2].PrincipalArn, entries[2].ErrorCode));
        Assert.DoesNotContain(entries, e => e.ToString().Contains("Horse", StringComparison.Ordinal));
    }

    [Fact]
    public void The_options_never_show_the_root_secret()
    {
        Assert.DoesNotContain(RootSecret, new ConsoleSignInOptions(Account, RootSecret, "us-east-1").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_registers_sign_in_with_its_root_credentials()
    {
        var signIn = _iam.Get<ConsoleSignInService>();

        Assert.True((await signIn.SignInAsync(Account, "root", RootSecret, "127.0.0.1", CancellationToken.None)).Succeeded);
        Assert.NotNull(_iam.Get<PasswordHasher>());
    }
}
