using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>A real server (SQLite, KMS, IAM) on a fresh data directory; Secrets Manager called in-process as root or as IAM users.</summary>
public abstract class SecretsManagerFixture : IAsyncLifetime
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-secrets-").FullName;
    private int _users;

    protected CairnServer Server { get; private set; } = null!;

    protected string DataDirectory => _data;

    protected RequestContext Root { get; } = Context(Principal.Root(Account));

    public async Task InitializeAsync() =>
        Server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIASECRETSTESTROOT1", RootSecretAccessKey = "root" });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    protected Task<JsonObject> CallAsync(string operation, string json, RequestContext? context = null) =>
        Secrets.InvokeAsync(operation, JsonNode.Parse(json)!.AsObject(), context ?? Root, CancellationToken.None);

    protected async Task<AwsException> FailAsync(string operation, string json, RequestContext? context = null) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, json, context));

    protected IJsonService Secrets => Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == "secretsmanager");

    /// <summary>A new IAM user with <paramref name="policy"/> as its only inline policy (none when null), as a request context.</summary>
    protected async Task<RequestContext> UserAsync(string? policy)
    {
        var iam = Server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        var name = $"secrets-user-{Interlocked.Increment(ref _users)}";
        await iam.InvokeAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = name }, Root, default);
        if (policy is not null)
        {
            await iam.InvokeAsync("PutUserPolicy", new Dictionary<string, string> { ["UserName"] = name, ["PolicyName"] = "p", ["PolicyDocument"] = policy }, Root, default);
        }

        var key = await iam.InvokeAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = name }, Root, default);
        var keyId = key!.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;
        var credential = await Server.Services.GetRequiredService<ICredentialResolver>().FindAsync(keyId, default);
        return Context(credential!.Principal, keyId);
    }

    protected static string Allow(string actions, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"{{resource}}"}]}""";

    private static RequestContext Context(Principal principal, string? keyId = null) =>
        new(principal, Region, Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow, keyId);
}
