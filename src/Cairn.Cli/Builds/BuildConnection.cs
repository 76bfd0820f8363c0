using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Runner.Builds;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Server.Services.CodePipeline;
using Cairn.Server.Services.PipelineSources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli.Builds;

/// <summary>
/// The Cairn a build talks to: a server started in-process over the data directory (root credentials), or a running
/// one at --endpoint-url (the caller's credentials); with --role, the role's temporary credentials from STS AssumeRole.
/// Parameters are read through the API as that identity, and the build's environment carries its credentials.
/// </summary>
internal sealed class BuildConnection : IAsyncDisposable
{
    private const string CodeBuildService = "codebuild.amazonaws.com";
    private readonly HttpClient _http;
    private readonly CairnServer? _server;

    private BuildConnection(HttpClient http, CairnServer? server, Uri endpoint, AwsCredentials identity, string region, string accountId, IBuildSecretSource secrets)
    {
        _http = http;
        _server = server;
        Endpoint = endpoint;
        Identity = identity;
        Region = region;
        AccountId = accountId;
        Secrets = secrets;
    }

    public Uri Endpoint { get; }

    /// <summary>Who the build runs as: root, the caller, or the assumed role.</summary>
    public AwsCredentials Identity { get; }

    public string Region { get; }

    public string AccountId { get; }

    public IBuildSecretSource Secrets { get; }

    public string EndpointText => Endpoint.ToString().TrimEnd('/');

    /// <summary>A client for Cairn's API as the build's identity (e.g. for lint's parameter existence check).</summary>
    public AwsApiClient CreateClient() => new(_http, Endpoint, Identity, Region);

    /// <summary>AWS_* variables so that `aws ...` and SDKs inside the build talk to Cairn as the build's identity.</summary>
    public IReadOnlyDictionary<string, string> Variables =>
        BuildHostEnvironment.AwsVariables(Identity.AccessKeyId, Identity.SecretAccessKey, Identity.SessionToken, null, EndpointText);

    public static async Task<BuildConnection> OpenAsync(
        string dataDirectory, string? endpoint, string? profile, string? role, string sessionName, TimeSpan timeout, CancellationToken cancellationToken)
    {
#pragma warning disable CA2000 // the HttpClient owns its handler and disposes it with itself
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
#pragma warning restore CA2000
        CairnServer? server = null;
        try
        {
            Uri uri;
            AwsCredentials caller;
            string region;
            string account;
            if (endpoint is not null)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                {
                    throw new BuildSetupException($"--endpoint-url '{endpoint}' is not an http(s) URL like http://127.0.0.1:4566.");
                }

                uri = parsed;
                caller = AwsCredentials.Find(profile, Environment.GetEnvironmentVariable)
                    ?? throw new BuildSetupException(
                        "no AWS credentials for --endpoint-url: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile with --profile "
                        + "(Cairn's root key is in <data>/credentials, profile 'cairn').");
                region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
                    : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
                    : CairnServerOptions.DefaultRegionName;
                (account, var arn) = await CallerAsync(new AwsApiClient(http, uri, caller, region), cancellationToken);
                caller = caller with { PrincipalArn = arn };
            }
            else
            {
                var options = new CairnServerOptions { DataDirectory = dataDirectory, Port = 0 }.WithEnvironment(Environment.GetEnvironmentVariable);
                // The build's output is the console here: the server's own log lines would interleave with it unmasked.
                server = await CairnServer.StartAsync(options, services =>
                {
                    services.RemoveAll<ILoggerProvider>();
                    // This server only answers the build's API calls. A `cairn serve` on the same data directory runs the
                    // queued builds, and its running builds are not this process's to recover.
                    services.RemoveAll<CodeBuildOptions>();
                    services.AddSingleton(CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable) with { RunsBuilds = false });
                    // Nor does it run pipelines: it neither resumes executions nor watches their sources.
                    services.AddSingleton(new PipelineEngineOptions(RunsPipelines: false));
                    services.AddSingleton(new SourcePollingOptions { Enabled = false });
                }, cancellationToken);
                uri = server.Endpoint;
                caller = new AwsCredentials(server.Root.AccessKeyId, server.Root.SecretAccessKey, null, $"arn:aws:iam::{options.AccountId}:root");
                region = options.DefaultRegion;
                account = options.AccountId;
            }

            var admin = new AwsApiClient(http, uri, caller, region);
            var identity = admin;
            if (role is not null)
            {
                var roleArn = role.StartsWith("arn:", StringComparison.Ordinal) ? role : $"arn:aws:iam::{account}:role/{role}";
                await RoleCheck.EnsureExistsAsync(admin, roleArn, $"aws --endpoint-url {endpoint ?? "http://127.0.0.1:4566"}", cancellationToken);
                // The same rule over --data and --endpoint-url: the role is assumed as CodeBuild assumes it.
                var duration = timeout + TimeSpan.FromMinutes(10);
                var assumed = await AssumeAsServiceAsync(server?.Services.GetService<IRoleAssumer>() is { } assumer
                    ? async () =>
                    {
                        var session = await assumer.AssumeRoleAsServiceAsync(roleArn, CodeBuildService, sessionName, duration, cancellationToken);
                        return new AwsCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, session.AssumedRoleArn);
                    }
                    : () => StsClient.AssumeRoleForBuildAsync(admin, roleArn, sessionName, duration, cancellationToken),
                    admin, roleArn, sessionName, cancellationToken);
                identity = new AwsApiClient(http, uri, assumed, region);
            }

            return new BuildConnection(http, server, uri, identity.Credentials, region, account, new SsmSecretSource(identity, admin, account));
        }
        catch
        {
            http.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static async Task<(string Account, string? Arn)> CallerAsync(AwsApiClient client, CancellationToken cancellationToken)
    {
        try
        {
            var (account, arn) = await StsClient.GetCallerIdentityAsync(client, cancellationToken);
            return (account.Length == 12 ? account : CairnServerOptions.DefaultAccountId, arn.Length > 0 ? arn : null);
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException or System.Xml.XmlException)
        {
            // A server without STS: builds and fixes then use the default account id.
            return (CairnServerOptions.DefaultAccountId, null);
        }
    }

    /// <summary>
    /// The build assumes its role as CodeBuild does, in-process (--data) or through the server (--endpoint-url): as the
    /// service principal codebuild.amazonaws.com, so the role's trust policy must name that service (and, through a
    /// server, the caller needs iam:PassRole on the role). A trust policy that names the caller instead is tried through STS.
    /// </summary>
    private static async Task<AwsCredentials> AssumeAsServiceAsync(
        Func<Task<AwsCredentials>> asService, AwsApiClient caller, string roleArn, string sessionName, CancellationToken cancellationToken)
    {
        string denial;
        try
        {
            return await asService();
        }
        catch (AwsException serviceDenied) when (serviceDenied.IsAccessDenied)
        {
            denial = serviceDenied.Message;
        }
        catch (AwsApiException serviceDenied) when (serviceDenied.IsAccessDenied)
        {
            denial = serviceDenied.Message;
        }
        catch (AwsApiException error)
        {
            throw new BuildSetupException($"cannot assume {roleArn}: {error.Code}: {error.Message}");
        }
        catch (HttpRequestException error)
        {
            throw new BuildSetupException($"cannot reach the server to assume {roleArn}: {error.Message}");
        }

        try
        {
            return await StsClient.AssumeRoleAsync(caller, roleArn, sessionName, cancellationToken);
        }
        catch (AwsApiException)
        {
            if (denial.Contains("iam:PassRole", StringComparison.Ordinal))
            {
                throw new BuildSetupException(
                    $"cannot give {roleArn} to the build: {denial}. As with CodeBuild, whoever starts a build with a role needs iam:PassRole on it, e.g. "
                    + $"{{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"{roleArn}\",\"Condition\":{{\"StringEquals\":{{\"iam:PassedToService\":\"codebuild.amazonaws.com\"}}}}}}.");
            }

            throw new BuildSetupException(
                $"cannot assume {roleArn}: {denial}. The role must exist and its trust policy must let CodeBuild assume it: "
                + $"{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"{CodeBuildService}\"}},\"Action\":\"sts:AssumeRole\"}}; "
                + $"set it with: {RoleNames.TrustCodeBuildCommand("aws", roleArn[(roleArn.LastIndexOf('/') + 1)..])}");
        }
    }
}
