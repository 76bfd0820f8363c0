using System.Diagnostics;
using System.Net;
using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.Wire;

/// <summary>A body that trickles in is answered 408 RequestTimeout (a 4xx the client can act on), never a 500.</summary>
public sealed class SlowBodyTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-slow-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task A_body_sent_at_one_byte_a_second_gets_408_RequestTimeout()
    {
        var response = await SendSlowlyAsync(new CairnServerOptions { RequestBodyGracePeriod = TimeSpan.FromSeconds(2) }, TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.Status);
        Assert.Equal("RequestTimeout", response.Code);
    }

    [Fact]
    public async Task A_body_that_takes_longer_than_the_body_timeout_gets_408_RequestTimeout()
    {
        var stopwatch = Stopwatch.StartNew();
        var response = await SendSlowlyAsync(
            new CairnServerOptions { RequestBodyMinimumRate = null, RequestBodyTimeout = TimeSpan.FromSeconds(2) }, TimeSpan.FromMilliseconds(100));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.Status);
        Assert.StartsWith("Your socket connection to the server was not read from or written to within the timeout period. Send the whole request body within 2 seconds.",
            response.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    private async Task<WireResponse> SendSlowlyAsync(CairnServerOptions options, TimeSpan delay)
    {
        await using var server = await CairnServer.StartAsync(options with
        {
            DataDirectory = _data,
            Port = 0,
            RootAccessKeyId = WireServer.AccessKeyId,
            RootSecretAccessKey = WireServer.SecretAccessKey,
        });
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(server.Endpoint.Host, server.Endpoint.Port);
        var stream = client.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: {server.Endpoint.Authority}\r\nX-Amz-Target: AmazonSSM.DescribeParameters\r\n"
            + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 200\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream);
        var reading = reader.ReadToEndAsync();
        for (var i = 0; i < 200 && !reading.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync(" "u8.ToArray());
            }
            catch (IOException)
            {
                break; // the server answered and closed the connection
            }

            await Task.WhenAny(reading, Task.Delay(delay));
        }

        var text = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var status = (HttpStatusCode)int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new WireResponse(status, text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }
}
