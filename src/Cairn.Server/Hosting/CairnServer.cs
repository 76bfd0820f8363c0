using System.Net;
using Cairn.Core.Identity;
using Cairn.Dashboard.Hosting;
using Cairn.Server.Audit;
using Cairn.Server.Aws;
using Cairn.Storage.Parameters;
using Cairn.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>
/// The whole server as a library: `cairn serve`, the tests and the benchmarks all host it in-process.
/// One port serves every AWS API Cairn speaks.
/// </summary>
public sealed class CairnServer : IAsyncDisposable
{
    private const string PingPath = "/_cairn/ping";

    private readonly WebApplication _app;

    private CairnServer(WebApplication app, Uri endpoint, RootCredentials root, CairnServerOptions options)
    {
        _app = app;
        Endpoint = endpoint;
        Root = root;
        Options = options;
    }

    public Uri Endpoint { get; }

    public RootCredentials Root { get; }

    public CairnServerOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<CairnServer> StartAsync(
        CairnServerOptions options,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (!Directory.Exists(options.DataDirectory))
        {
            // The data directory holds the master key and the database: owner-only from the start.
            Directory.CreateDirectory(options.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        ThrowIfPortInUse(options);
        var root = RootCredentials.LoadOrCreate(options);

        // PostgreSQL (--database) is opened and migrated before anything starts: a wrong connection string, an unreachable
        // server or a refused login throws PostgresStorageException (the server named, never the password) with nothing running.
        var database = options.Database is { } connectionString ? await PostgresStorage.OpenAsync(connectionString, cancellationToken) : null;
        try
        {
            return await StartAsync(options, root, database, configureServices, cancellationToken);
        }
        catch when (database is not null)
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task<CairnServer> StartAsync(
        CairnServerOptions options, RootCredentials root, PostgresDatabase? database, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {

        // Nothing is read from appsettings files and nothing may watch the working directory: the default host watches
        // its content root (the current directory, which holds the default data directory ./.cairn and its builds'
        // files) recursively for appsettings.json changes, which cost a build writing 200 MB there 2.4x its time
        // (docs/performance.md, "No file watcher"). The content root is the program's own directory, reloading is
        // off (removing the file sources alone leaves their watcher running), and no configuration file source is left.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        RemoveConfigurationFiles(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = CairnConsoleFormatter.FormatterName)
            .AddConsoleFormatter<CairnConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // bounded by AwsRequestHandler with AWS's error instead
            kestrel.Limits.MinRequestBodyDataRate = options.RequestBodyMinimumRate is { } rate
                ? new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(rate, options.RequestBodyGracePeriod)
                : null;
            if (IPAddress.TryParse(options.Host, out var address))
            {
                kestrel.Listen(address, options.Port);
            }
            else
            {
                kestrel.ListenLocalhost(options.Port);
            }
        });

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(root);
        builder.Services.AddSingleton(TimeProvider.System);
        CairnModules.AddAll(builder.Services, options, database);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddAudit();
        builder.Services.AddSingleton<RequestPipeline>();
        builder.Services.AddSingleton<Cairn.Dashboard.SignIn.IConsoleSignIn, IamConsoleSignIn>();
        builder.Services.AddCairnDashboard(new DashboardOptions(options.AccountId, options.DefaultRegion, root.AccessKeyId));

        var app = builder.Build();
        var handler = ActivatorUtilities.CreateInstance<AwsRequestHandler>(app.Services);
        // One port, routed by protocol (docs/adr/0004-dashboard.md): AWS calls go straight to the API handler, before
        // routing; everything else is the dashboard's, and what no endpoint takes is the API handler's again (AWS's
        // errors for unsigned calls, as before), or the dashboard's 404 for a browser's page request.
        app.Use(async (http, next) =>
        {
            if (AwsRequests.IsAws(http.Request) && !http.Request.Path.StartsWithSegments(PingPath, StringComparison.Ordinal))
            {
                await handler.HandleAsync(http);
                return;
            }

            await next(http);
        });
        app.UseRouting();
        app.UseCairnDashboard();
        // Unauthenticated liveness check, and the benchmarks' ceiling (POST: answered without reading the body).
        app.MapMethods(PingPath, ["GET", "POST"], () => Results.Text("ok"));
        app.MapFallback(http => DashboardModule.IsPageRequest(http.Request) ? DashboardModule.WriteNotFoundAsync(http) : handler.HandleAsync(http));

        // Open the storage (and run migrations) before the first request, not during it.
        _ = app.Services.GetRequiredService<IParameterRepository>();
        foreach (var startable in app.Services.GetServices<IHostedService>())
        {
            _ = startable;
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException error) when (error.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Taken between the check above and Kestrel's bind.
            await app.DisposeAsync();
            throw new PortInUseException(options.Host, options.Port, error);
        }

        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CairnServer(app, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), root, options);
    }

    /// <summary>Fails before anything starts when the port is taken: one line for the user, not Kestrel's stack trace.</summary>
    private static void RemoveConfigurationFiles(ConfigurationManager configuration)
    {
        // Removing a source disposes its provider, and with it the change token on the file.
        foreach (var file in configuration.Sources.OfType<FileConfigurationSource>().ToList())
        {
            configuration.Sources.Remove(file);
        }
    }

    private static void ThrowIfPortInUse(CairnServerOptions options)
    {
        if (options.Port == 0)
        {
            return;
        }

        var address = IPAddress.TryParse(options.Host, out var parsed) ? parsed : IPAddress.Loopback;
        using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        // As Kestrel binds: a port left in TIME_WAIT by a server that just stopped is free.
        probe.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(address, options.Port));
        }
        catch (System.Net.Sockets.SocketException error) when (error.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new PortInUseException(options.Host, options.Port, error);
        }
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
