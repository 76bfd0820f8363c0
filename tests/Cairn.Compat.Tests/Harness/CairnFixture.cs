using Cairn.Server.Hosting;

namespace Cairn.Compat.Tests.Harness;

/// <summary>
/// One Cairn server, in-process on a free port with a fresh data directory and known root credentials, shared by
/// the tests of the <see cref="CairnCollection"/>. Tests make their own names unique, since they share the server.
/// </summary>
public sealed class CairnFixture : IAsyncLifetime
{
    public const string RootAccessKeyId = "AKIACAIRNCOMPATROOT1";
    public const string RootSecretAccessKey = "cairn-compat-root-secret-access-key-0001";
    public const string Region = "us-east-1";

    private CairnServer? _server;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cairn-compat-" + Guid.NewGuid().ToString("N"));

    public CairnServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public string Endpoint => Server.Endpoint.ToString().TrimEnd('/');

    public string AccountId => Server.Options.AccountId;

    /// <summary>The aws CLI as the account root, in <see cref="Region"/>.</summary>
    public AwsCli Cli => new(Endpoint, RootAccessKeyId, RootSecretAccessKey, Region);

    /// <summary>boto3 as the account root, in <see cref="Region"/>.</summary>
    public Boto3 Boto3 => new(Endpoint, RootAccessKeyId, RootSecretAccessKey, Region);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = DataDirectory,
            Port = 0,
            RootAccessKeyId = RootAccessKeyId,
            RootSecretAccessKey = RootSecretAccessKey,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
