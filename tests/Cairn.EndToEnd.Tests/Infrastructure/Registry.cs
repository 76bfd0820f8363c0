using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Runner.Processes;

namespace Cairn.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Docker registry (Debian's docker-registry) on 127.0.0.1 with htpasswd authentication, started for the test
/// run on a free port with a fresh password; Docker pushes to 127.0.0.1 over plain HTTP without configuration.
/// </summary>
public sealed class Registry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Registry(Process process, string directory, int port, string password)
    {
        _process = process;
        _directory = directory;
        Address = $"127.0.0.1:{port}";
        Password = password;
    }

    public const string UserName = "ci";

    /// <summary>host:port, as image names and docker login use it.</summary>
    public string Address { get; }

    /// <summary>Random, with characters a shell would trip on: it must reach docker login intact and appear in no log.</summary>
    public string Password { get; }

    public static async Task<Registry> StartAsync()
    {
        var program = new[] { "/usr/bin/docker-registry", "/usr/local/bin/docker-registry" }.FirstOrDefault(File.Exists);
        Assert.True(program is not null, "The end-to-end tests need docker-registry (apt-get install docker-registry): run scripts/install-test-deps.sh.");
        var directory = Directory.CreateTempSubdirectory("cairn-registry-").FullName;
        var password = "Pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "!$x y";
        var htpasswd = await ToolProcess.RunAsync("htpasswd", ["-Bbn", UserName, password]);
        Assert.True(htpasswd.Succeeded, $"htpasswd (apache2-utils) failed: {htpasswd.Output}");
        await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), htpasswd.Output.Trim() + "\n");
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "config.yml"), $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {directory}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            auth:
              htpasswd:
                realm: cairn-e2e
                path: {directory}/htpasswd
            """);
        var process = Process.Start(new ProcessStartInfo(program!)
        {
            ArgumentList = { "serve", Path.Combine(directory, "config.yml") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start docker-registry");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
#pragma warning disable CA2000 // the caller owns it once it answers; every other path disposes it in the finally below
        var registry = new Registry(process, directory, port, password);
#pragma warning restore CA2000
        var handedOver = false;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; ; i++)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://{registry.Address}/v2/"));
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        handedOver = true;
                        return registry;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (i > 100 || process.HasExited)
                {
                    Assert.Fail($"docker-registry did not start on {registry.Address}");
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            if (!handedOver)
            {
                await registry.DisposeAsync();
            }
        }
    }

    /// <summary>The repositories in the registry's catalog (GET /v2/_catalog, authenticated).</summary>
    public async Task<IReadOnlyList<string>> CatalogAsync() =>
        (await GetAsync("/v2/_catalog"))!["repositories"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

    /// <summary>The repository's tags; none when the registry does not know the repository.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository) =>
        (await GetAsync($"/v2/{repository}/tags/list", missingIsEmpty: true))?["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];

    private async Task<JsonNode?> GetAsync(string path, bool missingIsEmpty = false)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{Address}{path}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (missingIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.IsSuccessStatusCode, $"GET {path} on the registry: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
