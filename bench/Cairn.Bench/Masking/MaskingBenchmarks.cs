using System.Text;
using BenchmarkDotNet.Attributes;
using Cairn.Runner.Masking;

namespace Cairn.Bench.Masking;

/// <summary>
/// Build output through the masker with 50 secrets (and all their encodings) against a plain copy of the same bytes.
/// Throughput = <see cref="LogSizeBytes"/> / mean time.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class MaskingBenchmarks
{
    public const int LogSizeBytes = 8 << 20;
    private const int ChunkSize = 16 << 10;

    private byte[] _log = [];
    private byte[] _copyTarget = [];
    private SecretMasker _masker = new();

    [Params(50)]
    public int SecretCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var secrets = Enumerable.Range(0, SecretCount).Select(i => RandomSecret(random, 16 + (i % 32))).ToArray();
        _masker = new SecretMasker();
        _masker.AddSecrets(secrets);
        _log = SampleLog(random, secrets, LogSizeBytes);
        _copyTarget = new byte[ChunkSize];
    }

    [Benchmark(Baseline = true)]
    public int PlainCopy()
    {
        var total = 0;
        for (var offset = 0; offset < _log.Length; offset += ChunkSize)
        {
            var chunk = _log.AsSpan(offset, Math.Min(ChunkSize, _log.Length - offset));
            chunk.CopyTo(_copyTarget);
            Stream.Null.Write(_copyTarget.AsSpan(0, chunk.Length));
            total += chunk.Length;
        }

        return total;
    }

    [Benchmark]
    public long MaskFiftySecrets()
    {
        var counter = new CountingStream();
        using var stream = _masker.CreateStream(counter);
        for (var offset = 0; offset < _log.Length; offset += ChunkSize)
        {
            stream.Write(_log.AsSpan(offset, Math.Min(ChunkSize, _log.Length - offset)));
        }

        stream.Complete();
        return counter.Count;
    }

    private static string RandomSecret(Random random, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_!@";
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    /// <summary>Compiler- and installer-like lines, with a secret or an encoding of one on about one line in 500.</summary>
    private static byte[] SampleLog(Random random, string[] secrets, int size)
    {
        string[] lines =
        [
            "[Container] 2026/11/21 06:00:00.123 Running command pip install -r requirements.txt",
            "Collecting flask==3.0.3 (from -r requirements.txt (line 1))",
            "  Downloading flask-3.0.3-py3-none-any.whl.metadata (3.2 kB)",
            "Step 4/12 : RUN apt-get update && apt-get install -y --no-install-recommends build-essential",
            " ---> Running in 4f9c1d2e8a7b",
            "src/app/routes.py:42: DeprecationWarning: datetime.utcnow() is deprecated",
            "#12 [builder 3/7] COPY package.json package-lock.json ./",
            "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
            "test_routes.py::test_health PASSED                                          [ 12%]",
            "{\"level\":\"info\",\"ts\":1732168800.123,\"msg\":\"pushed layer\",\"digest\":\"sha256:9f86d081884c7d65\"}",
        ];
        var builder = new StringBuilder(size + 256);
        while (builder.Length < size)
        {
            if (random.Next(500) == 0)
            {
                var secret = secrets[random.Next(secrets.Length)];
                builder.Append("token=").Append(random.Next(2) == 0 ? secret : Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))).Append('\n');
            }
            else
            {
                builder.Append(lines[random.Next(lines.Length)]).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString(0, size));
    }

    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
