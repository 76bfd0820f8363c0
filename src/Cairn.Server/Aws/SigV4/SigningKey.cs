using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// A derived SigV4 signing key with a pool of HMAC states already keyed with it: re-keying HMAC on every request
/// costs more than the HMAC itself.
/// </summary>
internal sealed class SigningKey(byte[] key)
{
    // At most one state per concurrent caller ever exists: each takes one before giving it back.
    private readonly ConcurrentBag<IncrementalHash> _macs = [];

    public byte[] Key { get; } = key;

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under this key, into <paramref name="mac"/> (32 bytes).</summary>
    public void Mac(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (!_macs.TryTake(out var hmac))
        {
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Key);
        }

        hmac.AppendData(data);
        hmac.GetHashAndReset(mac);
        _macs.Add(hmac);
    }
}
