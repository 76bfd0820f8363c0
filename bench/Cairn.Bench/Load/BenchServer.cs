using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Cairn.Server.Hosting;

namespace Cairn.Bench.Load;

/// <summary>The server under load: a `cairn serve` child process (default) or an in-process <see cref="CairnServer"/>.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process? _child;
    private readonly CairnServer? _inProcess;
    private readonly string _dataDirectory;

    private BenchServer(Uri endpoint, int processId, string description, string dataDirectory, string accessKeyId, string secretAccessKey, Process? child, CairnServer? inProcess)
    {
        Endpoint = endpoint;
        ProcessId = processId;
        Description = description;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        _dataDirectory = dataDirectory;
        _child = child;
        _inProcess = inProcess;
    }

    public Uri Endpoint { get; }

    public int ProcessId { get; }

    public string Description { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public static Task<BenchServer> StartAsync(LoadOptions options, CancellationToken cancellationToken) => StartAsync(options, [], cancellationToken);

    /// <param name="serveArguments">More `cairn serve` options (child process only), e.g. `--source-root`.</param>
    public static async Task<BenchServer> StartAsync(LoadOptions options, IReadOnlyList<string> serveArguments, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "cairn-bench-" + Guid.NewGuid().ToString("N"));
        var accessKeyId = "AKIABENCH" + RandomNumberGenerator.GetHexString(11, lowercase: false);
        var secret = RandomNumberGenerator.GetHexString(40, lowercase: true);

        if (options.InProcess)
        {
            var server = await CairnServer.StartAsync(
                new CairnServerOptions
                {
                    DataDirectory = dataDirectory, Port = 0, RootAccessKeyId = accessKeyId, RootSecretAccessKey = secret,
                    ParameterCacheBytes = options.ParameterCacheMegabytes is { } megabytes ? megabytes * 1024L * 1024 : CairnServerOptions.DefaultParameterCacheBytes,
                    Database = options.Database,
                },
                cancellationToken: cancellationToken);
            return new BenchServer(server.Endpoint, Environment.ProcessId, "in-process CairnServer (memory includes the load generator)",
                dataDirectory, accessKeyId, secret, null, server);
        }

        var dll = options.CairnPath ?? FindCairnDll();
        var port = FreePort();
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, "cairn");
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        foreach (var argument in new[] { "serve", "--data", dataDirectory, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (options.ParameterCacheMegabytes is { } cacheMegabytes)
        {
            start.ArgumentList.Add("--parameter-cache-mb");
            start.ArgumentList.Add(cacheMegabytes.ToString(CultureInfo.InvariantCulture));
        }

        if (options.Database is { } database)
        {
            start.ArgumentList.Add("--database");
            start.ArgumentList.Add(database);
        }

        foreach (var argument in serveArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CAIRN_ROOT_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["CAIRN_ROOT_SECRET_ACCESS_KEY"] = secret;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        child.OutputDataReceived += (_, e) => Keep(output, e.Data);
        child.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();

        var endpoint = new Uri($"http://127.0.0.1:{port}/");
#pragma warning disable CA2000 // the caller owns it once it answers; every other path disposes it in the finally below
        var bench = new BenchServer(endpoint, child.Id, $"`cairn serve` child process (pid {child.Id}, {dll})", dataDirectory, accessKeyId, secret, child, null);
#pragma warning restore CA2000
        var handedOver = false;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                if (child.HasExited)
                {
                    throw new InvalidOperationException($"cairn serve exited with {child.ExitCode}:\n{string.Join('\n', output)}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(endpoint, "/_cairn/ping"), cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        handedOver = true;
                        return bench;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"cairn serve did not answer /_cairn/ping within 60 s:\n{string.Join('\n', output)}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        finally
        {
            if (!handedOver)
            {
                await bench.DisposeAsync();
            }
        }
    }

    /// <summary>Peak resident set size (VmHWM) of the server process, in bytes; null off Linux.</summary>
    public long? PeakRssBytes() => ReadStatus("VmHWM:");

    public long? CurrentRssBytes() => ReadStatus("VmRSS:");

    /// <summary>CPU time the server process has used so far (user + system, from /proc/&lt;pid&gt;/stat); null off Linux.</summary>
    public TimeSpan? CpuTime()
    {
        var stat = $"/proc/{ProcessId}/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields, in clock ticks (100 Hz).
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }

        if (_child is not null)
        {
            if (!_child.HasExited)
            {
                _child.Kill(entireProcessTree: true);
                await _child.WaitForExitAsync();
            }

            _child.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private long? ReadStatus(string field)
    {
        var status = $"/proc/{ProcessId}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 50 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>src/Cairn.Cli/bin/&lt;same configuration as this bench&gt;/net10.0/cairn.dll of this repository.</summary>
    public static string FindCairnDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent?.Name ?? "Release";
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Cairn.Cli", "bin", configuration, framework, "cairn.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"{dll} is missing; build it: dotnet build src/Cairn.Cli -c {configuration}");
            }
        }

        throw new FileNotFoundException("Cannot find the repository (Cairn.slnx) above " + here.FullName + "; pass --cairn <path to cairn.dll>.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
