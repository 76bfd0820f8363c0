using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests;

/// <summary>
/// A real server (SQLite, KMS, IAM, the policy authorizer, the audit log) on a fresh data directory, whose services a
/// test calls in-process as root or as IAM users it makes with a policy.
/// </summary>
public abstract class InProcessServerFixture(string name) : IAsyncLifetime
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";

    private readonly string _data = Directory.CreateTempSubdirectory($"cairn-{name}-").FullName;
    private int _users;

    internal CairnServer Server { get; private set; } = null!;

    protected string DataDirectory => _data;

    protected static RequestContext Root { get; } = Context(Principal.Root(Account));

    public virtual async Task InitializeAsync() =>
        Server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIAINPROCESSROOT001", RootSecretAccessKey = "root" });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    /// <summary>A new IAM user whose only inline policy is <paramref name="policy"/> (none when null), as a request context.</summary>
    protected async Task<RequestContext> UserAsync(string? policy)
    {
        var iam = Server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        var user = $"{name}-user-{Interlocked.Increment(ref _users)}";
        await iam.InvokeAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = user }, Root, default);
        if (policy is not null)
        {
            await iam.InvokeAsync("PutUserPolicy", new Dictionary<string, string> { ["UserName"] = user, ["PolicyName"] = "only", ["PolicyDocument"] = policy }, Root, default);
        }

        var key = await iam.InvokeAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = user }, Root, default);
        var keyId = key!.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;
        var credential = await Server.Services.GetRequiredService<ICredentialResolver>().FindAsync(keyId, default);
        return Context(credential!.Principal, keyId);
    }

    protected static RequestContext Context(Principal principal, string? keyId = null) =>
        new(principal, Region, Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow, keyId);
}
