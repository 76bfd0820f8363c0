using System.Net;
using System.Text;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cairn.Server.Tests.Hosting;

public sealed class ServerStartupTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task First_start_writes_root_credentials_readable_only_by_the_owner()
    {
        await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 });

        var file = Path.Combine(_data, "credentials");
        Assert.Equal(file, server.Root.CredentialsFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("[cairn]", text, StringComparison.Ordinal);
        Assert.Contains($"aws_access_key_id = {server.Root.AccessKeyId}", text, StringComparison.Ordinal);
        Assert.StartsWith("AKIA", server.Root.AccessKeyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_watches_the_working_directory_or_reads_configuration_files_from_it()
    {
        await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 });

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        Assert.DoesNotContain(configuration.Providers, p => p is FileConfigurationProvider);
        var environment = server.Services.GetRequiredService<IHostEnvironment>();
        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(environment.ContentRootPath));
        // The kernel's view: no inotify watch of this process is on the content root (every server in this process has
        // the same one), the working directory or the data directory.
        var watched = InotifyWatchedInodes();
        foreach (var directory in new[] { environment.ContentRootPath, Environment.CurrentDirectory, _data })
        {
            Assert.DoesNotContain(Inode(directory), watched);
        }
    }

    private static HashSet<string> InotifyWatchedInodes() =>
        Directory.EnumerateFiles("/proc/self/fdinfo")
            .SelectMany(file => { try { return File.ReadAllLines(file); } catch (IOException) { return []; } })
            .Where(line => line.StartsWith("inotify wd:", StringComparison.Ordinal))
            .Select(line => line.Split(' ').Single(part => part.StartsWith("ino:", StringComparison.Ordinal))["ino:".Length..])
            .Select(hex => long.Parse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }

    [Fact]
    public async Task Second_start_reuses_the_generated_root_credentials()
    {
        string first;
        await using (var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 }))
        {
            first = server.Root.SecretAccessKey;
        }

        await using var again = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 });
        Assert.Equal(first, again.Root.SecretAccessKey);
    }

    [Fact]
    public async Task Root_credentials_from_the_environment_are_used_and_not_written()
    {
        var options = new CairnServerOptions { DataDirectory = _data, Port = 0 }.WithEnvironment(name => name switch
        {
            "CAIRN_ROOT_ACCESS_KEY_ID" => "AKIAENVIRONMENTKEY01",
            "CAIRN_ROOT_SECRET_ACCESS_KEY" => "from-the-environment",
            _ => null,
        });
        await using var server = await CairnServer.StartAsync(options);

        Assert.Equal("AKIAENVIRONMENTKEY01", server.Root.AccessKeyId);
        Assert.False(File.Exists(Path.Combine(_data, "credentials")));
    }

    [Fact]
    public void An_account_id_that_is_not_twelve_digits_is_refused_with_an_example()
    {
        var error = Assert.Throws<ArgumentException>(() => new CairnServerOptions { AccountId = "123" }.Validate());
        Assert.Contains("000000000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_target_gets_UnknownOperationException_and_the_server_keeps_serving()
    {
        await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Endpoint };

        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "NoSuchService_20200101.DoThing");
        await new SigV4Signer(server.Root.AccessKeyId, server.Root.SecretAccessKey, "us-east-1", "ssm").SignAsync(request, DateTimeOffset.UtcNow, CancellationToken.None);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"__type\":\"UnknownOperationException\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(response.Headers.GetValues("x-amzn-RequestId").Single());
        Assert.Equal("ok", await http.GetStringAsync("/_cairn/ping"));
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_refused_before_it_is_read_whole()
    {
        await using var server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0 });
        using var http = new HttpClient { BaseAddress = server.Endpoint };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent(new byte[(1024 * 1024) + 1]),
        };
        request.Headers.Add("X-Amz-Target", "AmazonSSM.GetParameter");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("RequestEntityTooLarge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await http.GetStringAsync("/_cairn/ping"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
