using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Hosting;
using Cairn.Server.Services.Iam;
using Cairn.Server.Services.Sts;
using Cairn.Storage.Identity;
using Cairn.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Iam;

/// <summary>IAM and STS wired as the server wires them, on a fresh database, called with form dictionaries.</summary>
internal sealed class IdentityHarness : IDisposable
{
    public const string Account = "123456789012";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-iam-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _provider;

    public IdentityHarness()
    {
        Directory.CreateDirectory(_directory);
        var options = new CairnServerOptions { DataDirectory = _directory, AccountId = Account, RootAccessKeyId = "AKIAROOTROOTROOTROOT", RootSecretAccessKey = "root-secret" };
        var services = new ServiceCollection();
        services.AddSingleton(options);
        services.AddSingleton(RootCredentials.LoadOrCreate(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Cairn.Core.Keys.MasterKey.Generate());
        services.AddSqliteStorage(new SqliteStorageOptions(Path.Combine(_directory, "cairn.db")));
        services.AddIdentity();
        _provider = services.BuildServiceProvider();
    }

    public IamService Iam => _provider.GetRequiredService<IamService>();

    public StsService Sts => _provider.GetRequiredService<StsService>();

    /// <summary>The data directory, with the SQLite file.</summary>
    public string DataDirectory => _directory;

    public IIdentityStore Store => _provider.GetRequiredService<IIdentityStore>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public static RequestContext Root { get; } = Context(Principal.Root(Account));

    public static RequestContext Context(Principal principal, string? accessKeyId = null) =>
        new(principal, "us-east-1", Guid.NewGuid().ToString(), "127.0.0.1", DateTimeOffset.UtcNow, accessKeyId);

    public Task<XElement?> CallIam(string action, params (string Key, string Value)[] args) => CallIam(Root, action, args);

    public Task<XElement?> CallIam(RequestContext context, string action, params (string Key, string Value)[] args) =>
        Iam.InvokeAsync(action, args.ToDictionary(a => a.Key, a => a.Value), context, CancellationToken.None);

    public Task<XElement?> CallSts(RequestContext context, string action, params (string Key, string Value)[] args) =>
        Sts.InvokeAsync(action, args.ToDictionary(a => a.Key, a => a.Value), context, CancellationToken.None);

    public async Task<AwsException> IamFails(RequestContext context, string action, params (string Key, string Value)[] args) =>
        await Assert.ThrowsAsync<AwsException>(() => CallIam(context, action, args));

    public Task<AwsException> IamFails(string action, params (string Key, string Value)[] args) => IamFails(Root, action, args);

    /// <summary>Creates an IAM user with an access key and returns the context its requests would carry.</summary>
    public async Task<RequestContext> UserContextAsync(string userName)
    {
        await CallIam("CreateUser", ("UserName", userName));
        var created = await CallIam("CreateAccessKey", ("UserName", userName));
        var keyId = Text(created, "AccessKeyId");
        var credential = await Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None);
        return Context(credential!.Principal, keyId);
    }

    public static string Text(XElement? element, string name) =>
        element!.Descendants(name).First().Value;

    public void Dispose()
    {
        // The audit log (console sign-in writes to it) only disposes asynchronously.
        _provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A reader connection may still hold the file on slow machines; the temp directory is cleaned up eventually.
        }
    }
}
