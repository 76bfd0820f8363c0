namespace Cairn.Server.Hosting;

/// <summary>The server's address and port are taken (another `cairn serve`, or any other program).</summary>
public sealed class PortInUseException(string host, int port, Exception? inner = null)
    : Exception($"{host}:{port} is already in use (another `cairn serve`?): stop that one, or start this one on another port with --port {port + 1}.", inner)
{
    public string Host { get; } = host;

    public int Port { get; } = port;
}
