using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hygiene;

/// <summary>A real server (SQLite, the policy authorizer, the audit log) whose services the hygiene tests call as root or as a user with a policy.</summary>
public abstract class HygieneServer : IAsyncLifetime
{
    protected const string Account = "000000000000";
    protected const string Region = "us-east-1";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-hygiene-").FullName;
    private int _users;

    internal CairnServer Server { get; private set; } = null!;

    protected static RequestContext Root { get; } = Context(Principal.Root(Account));

    public virtual async Task InitializeAsync() =>
        Server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIAHYGIENEROOT00001", RootSecretAccessKey = "root" });

    protected static RequestContext Context(Principal principal, string? keyId = null) =>
        new(principal, Region, Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow, keyId);

    protected Task<JsonObject> CallAsync(string target, string operation, string json, RequestContext? context = null) =>
        Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == target)
            .InvokeAsync(operation, JsonNode.Parse(json)!.AsObject(), context ?? Root, default);

    protected Task<JsonObject> SecretsAsync(string operation, string json, RequestContext? context = null) => CallAsync("CairnSecrets", operation, json, context);

    protected Task<JsonObject> SsmAsync(string operation, string json, RequestContext? context = null) => CallAsync("AmazonSSM", operation, json, context);

    protected Task<JsonObject> PutAsync(string name, string value, string type = "String", bool overwrite = false) =>
        SsmAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = type, ["Overwrite"] = overwrite }.ToJsonString());

    protected static async Task<AwsException> FailsAsync(Func<Task> call) => await Assert.ThrowsAsync<AwsException>(call);

    /// <summary>A new IAM user whose only inline policy is <paramref name="policy"/> (none when null).</summary>
    protected async Task<RequestContext> UserAsync(string? policy)
    {
        var iam = Server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        var name = $"hygiene-user-{Interlocked.Increment(ref _users)}";
        await iam.InvokeAsync("CreateUser", new Dictionary<string, string> { ["UserName"] = name }, Root, default);
        if (policy is not null)
        {
            await iam.InvokeAsync("PutUserPolicy", new Dictionary<string, string> { ["UserName"] = name, ["PolicyName"] = "only", ["PolicyDocument"] = policy }, Root, default);
        }

        var key = await iam.InvokeAsync("CreateAccessKey", new Dictionary<string, string> { ["UserName"] = name }, Root, default);
        var keyId = key!.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;
        var credential = await Server.Services.GetRequiredService<ICredentialResolver>().FindAsync(keyId, default);
        return Context(credential!.Principal, keyId);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
