using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Cairn.Core.Builds;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Dashboard.Sessions;
using Cairn.Server.Hosting;
using Cairn.Storage.Builds;
using Cairn.Storage.Identity;
using Cairn.Storage.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>
/// One in-process Cairn server on a free loopback port for a test class, with known root credentials; pages are fetched
/// over real HTTP (cookies kept per client, redirects not followed) and parsed with AngleSharp.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public const string Account = "000000000000";
    public const string Region = "us-east-1";
    public const string RootKeyId = "AKIACAIRNDASHBOARD01";
    public const string RootSecret = "dashboard/test/secret/key/0123456789abcdef";

    private CairnServer? _server;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cairn-dashboard-").FullName;

    public CairnServer Server => _server ?? throw new InvalidOperationException("not started");

    public Uri Endpoint => Server.Endpoint;

    public BuildScope Scope { get; } = new(Account, Region);

    public async Task InitializeAsync() =>
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = DataDirectory,
            Port = 0,
            RootAccessKeyId = RootKeyId,
            RootSecretAccessKey = RootSecret,
        }, services => services.AddSingleton<Cairn.Application.Pipelines.Actions.IPipelineActionRunner, TestActionRunner>());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A browser-like client: its own cookies, no redirects followed, asking for HTML.</summary>
    public Browserless Client() => new(Endpoint);

    /// <summary>A client signed in as root through the sign-in form.</summary>
    public async Task<Browserless> RootAsync()
    {
        var client = Client();
        var response = await client.SignInAsync(Account, "root", RootSecret);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return client;
    }

    /// <summary>
    /// A client signed in as <paramref name="principal"/> by a session put straight into the store (IAM users sign in
    /// through login profiles, another branch's work); returns the client with the session's cookie.
    /// </summary>
    public async Task<Browserless> SessionForAsync(Principal principal, DateTimeOffset? expiresAt = null, DateTimeOffset? lastSeenAt = null)
    {
        var token = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow;
        await Server.Services.GetRequiredService<IConsoleSessionStore>().CreateAsync(
            new ConsoleSession(ConsoleSessions.Hash(token), principal, now, lastSeenAt ?? now, expiresAt ?? now.AddHours(12), "127.0.0.1"), default);
        var client = Client();
        client.Cookies.Add(Endpoint, new Cookie(SessionCookie.Name, token));
        return client;
    }

    /// <summary>An IAM user with one inline policy (null: none), made in the identity store.</summary>
    public async Task<Principal> UserAsync(string name, string? policy)
    {
        var store = Server.Services.GetRequiredService<IIdentityStore>();
        var user = new IamUser(Account, name, "AIDA" + name.ToUpperInvariant().PadRight(16, 'X')[..16], "/", $"arn:aws:iam::{Account}:user/{name}", DateTimeOffset.UtcNow);
        await store.CreateUserAsync(user, [], default);
        if (policy is not null)
        {
            await store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.User, name, "p", policy), 10240, default);
        }

        return new Principal(PrincipalKind.User, Account, user.Arn, user.UserId, name);
    }

    public static string ProjectDocument(string name, string buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n") =>
        new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = buildspec },
            ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
            ["environment"] = new JsonObject
            {
                ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL",
                ["environmentVariables"] = new JsonArray
                {
                    new JsonObject { ["name"] = "STAGE", ["value"] = "dev" },
                    new JsonObject { ["name"] = "DB_PASSWORD", ["value"] = "/app/db-password", ["type"] = "PARAMETER_STORE" },
                },
            },
            ["serviceRole"] = $"arn:aws:iam::{Account}:role/codebuild-service-role",
        }.ToJsonString();

    /// <summary>A project put straight into the build store (no role needed: its builds are stored, never run).</summary>
    public async Task SeedProjectAsync(string name, BuildScope? scope = null)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(await Builds.CreateProjectAsync(
            new BuildProject(scope ?? Scope, name, ProjectSettings.FromDocument(ProjectDocument(name)), now, now), default));
    }

    /// <summary>A finished build of the project with that status, stored as `cairn build` stores its own (never queued).</summary>
    public async Task<BuildRecord> SeedBuildAsync(string project, string status = BuildStatuses.Succeeded, BuildScope? scope = null)
    {
        var settings = (await Builds.GetProjectAsync(scope ?? Scope, project, default))!.Settings;
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        var build = BuildRecord.Submit(scope ?? Scope, project, Guid.NewGuid().ToString("D"), settings, "main", "ci", null, null, start)
            .Complete(status, start.AddSeconds(75));
        return await Builds.AddClaimedBuildAsync(build, "dashboard-tests", DateTimeOffset.UtcNow, default);
    }

    public IBuildStore Builds => Server.Services.GetRequiredService<IBuildStore>();

    /// <summary>The real aws CLI as root against this server; returns its JSON output, failing the test when it fails.</summary>
    public async Task<JsonNode?> AwsAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--endpoint-url", Endpoint.ToString().TrimEnd('/'), "--output", "json", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = RootKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = RootSecret;
        start.Environment["AWS_DEFAULT_REGION"] = Region;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed: {await error}");
        var text = await output;
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>A file a running server holds open (its database), read whole as Latin-1, to search it for what must not be there.</summary>
    public static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }
}
