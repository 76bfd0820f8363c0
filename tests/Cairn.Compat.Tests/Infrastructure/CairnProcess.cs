using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Compat.Tests.Infrastructure;

/// <summary>`cairn serve` as a separate process, so a test can kill -9 it and start it again on the same data.</summary>
public sealed class CairnProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;

    private CairnProcess(Process process, int port, System.Text.StringBuilder output)
    {
        _process = process;
        _output = output;
        Endpoint = $"http://127.0.0.1:{port}";
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the server has printed so far (stdout and stderr, line by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Endpoint { get; }

    public int Id => _process.Id;

    public static Task<CairnProcess> StartAsync(string dataDirectory, int? port = null, params string[] options) =>
        StartAsync(dataDirectory, new Dictionary<string, string>(), port, options);

    /// <summary>With more environment variables than the root credentials (CAIRN_DATABASE, say).</summary>
    public static async Task<CairnProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, int? port = null, params string[] options)
    {
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cairn"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "serve", "--data", dataDirectory, "--port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CAIRN_ROOT_ACCESS_KEY_ID"] = CairnFixture.RootKeyId;
        start.Environment["CAIRN_ROOT_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cairn");
        var started = new TaskCompletionSource();
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("is listening on", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var finished = await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != started.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"cairn serve did not start:\n{output}");
        }

        return new CairnProcess(process, chosen, output);
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as with a crash or `kill -9`.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits until the process has exited and been reaped (after a kill from outside, say).</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
