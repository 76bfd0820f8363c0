using System.Text;
using Cairn.Runner.IO;

namespace Cairn.Runner.Tests;

/// <summary>A thread-safe in-memory sink whose text can be read while output is still arriving.</summary>
internal sealed class OutputCapture : WriteOnlyStream
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _buffer = new();

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(_buffer.ToArray());
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            _buffer.Write(buffer);
        }
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
