using Cairn.Server.Hosting;

namespace Cairn.Compat.Tests.Iam;

/// <summary>STS GetSessionToken and GetAccessKeyInfo, IAM UpdateGroup and GetAccountSummary, with the real aws CLI.</summary>
public sealed class IamExtraCliTests : IAsyncLifetime
{
    private const string Account = "000000000000";
    private const string RootKey = "AKIAIOSFODNN7EXAMPLE";
    private const string RootSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-iam-extra-cli-" + Guid.NewGuid().ToString("N"));
    private CairnServer? _server;
    private CliRunner _aws = null!;

    public async Task InitializeAsync()
    {
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = _data,
            Port = 0,
            RootAccessKeyId = RootKey,
            RootSecretAccessKey = RootSecret,
        });
        _aws = new CliRunner(_server.Endpoint, RootKey, RootSecret);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_users_session_token_acts_as_the_user_and_cannot_call_IAM()
    {
        await _aws.RunAsync("iam", "create-user", "--user-name", "dev");
        await _aws.RunAsync("iam", "attach-user-policy", "--user-name", "dev", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess");
        var key = (await _aws.RunAsync("iam", "create-access-key", "--user-name", "dev"))!["AccessKey"]!;
        var dev = _aws.As(key["AccessKeyId"]!.GetValue<string>(), key["SecretAccessKey"]!.GetValue<string>(), null);

        var token = await dev.RunAsync("sts", "get-session-token", "--duration-seconds", "900");
        var credentials = token!["Credentials"]!;
        var session = _aws.As(credentials["AccessKeyId"]!.GetValue<string>(), credentials["SecretAccessKey"]!.GetValue<string>(), credentials["SessionToken"]!.GetValue<string>());
        var identity = await session.RunAsync("sts", "get-caller-identity");
        await session.RunAsync("ssm", "put-parameter", "--name", "/dev/p", "--value", "v", "--type", "String");
        var iam = await session.TryAsync("iam", "list-users");
        var again = await session.TryAsync("sts", "get-session-token");

        Assert.StartsWith("ASIA", credentials["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"arn:aws:iam::{Account}:user/dev", identity!["Arn"]!.GetValue<string>());
        Assert.Contains("(InvalidClientTokenId) when calling the ListUsers operation", iam.Stderr, StringComparison.Ordinal);
        Assert.Contains("(AccessDenied) when calling the GetSessionToken operation: Cannot call GetSessionToken with session credentials", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessKeyInfo_names_the_account_of_long_term_and_temporary_keys()
    {
        var token = await _aws.RunAsync("sts", "get-session-token");
        var temporary = token!["Credentials"]!["AccessKeyId"]!.GetValue<string>();

        var longTerm = await _aws.RunAsync("sts", "get-access-key-info", "--access-key-id", RootKey);
        var session = await _aws.RunAsync("sts", "get-access-key-info", "--access-key-id", temporary);

        Assert.Equal(Account, longTerm!["Account"]!.GetValue<string>());
        Assert.Equal(Account, session!["Account"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_renamed_with_update_group_keeps_its_members()
    {
        await _aws.RunAsync("iam", "create-group", "--group-name", "devs");
        await _aws.RunAsync("iam", "create-user", "--user-name", "ann");
        await _aws.RunAsync("iam", "add-user-to-group", "--group-name", "devs", "--user-name", "ann");

        await _aws.RunAsync("iam", "update-group", "--group-name", "devs", "--new-group-name", "developers", "--new-path", "/team/");
        var group = await _aws.RunAsync("iam", "get-group", "--group-name", "developers");
        var missing = await _aws.TryAsync("iam", "get-group", "--group-name", "devs");

        Assert.Equal($"arn:aws:iam::{Account}:group/team/developers", group!["Group"]!["Arn"]!.GetValue<string>());
        Assert.Equal(["ann"], group["Users"]!.AsArray().Select(u => u!["UserName"]!.GetValue<string>()));
        Assert.Contains("(NoSuchEntity)", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_account_summary_reads_as_a_map_of_counts_and_quotas()
    {
        await _aws.RunAsync("iam", "create-user", "--user-name", "counted");
        await _aws.RunAsync("iam", "create-instance-profile", "--instance-profile-name", "web");
        await _aws.RunAsync("iam", "create-instance-profile", "--instance-profile-name", "worker");
        await _aws.RunAsync("iam", "create-open-id-connect-provider", "--url", "https://token.actions.githubusercontent.com", "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1");

        var summary = (await _aws.RunAsync("iam", "get-account-summary"))!["SummaryMap"]!;

        Assert.Equal(1, summary["Users"]!.GetValue<int>());
        Assert.Equal(5000, summary["UsersQuota"]!.GetValue<int>());
        Assert.Equal(0, summary["Roles"]!.GetValue<int>());
        Assert.Equal(2, summary["InstanceProfiles"]!.GetValue<int>());
        Assert.Equal(1000, summary["InstanceProfilesQuota"]!.GetValue<int>());
        Assert.Equal(1, summary["Providers"]!.GetValue<int>());
    }
}
