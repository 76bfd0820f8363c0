using System.Collections.Concurrent;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// Derived signing keys per (secret, date, region, service): four HMACs saved on every request after the first of
/// the day. Bounded; cleared wholesale when full, which costs one derivation per key afterwards.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), SigningKey> _keys = new();

    public SigningKey Get(string secretAccessKey, string date, string region, string service)
    {
        var id = (secretAccessKey, date, region, service);
        if (_keys.TryGetValue(id, out var key))
        {
            return key;
        }

        if (_keys.Count >= MaxEntries)
        {
            _keys.Clear();
        }

        key = new SigningKey(SigV4Canonical.DeriveSigningKey(secretAccessKey, date, region, service));
        _keys[id] = key;
        return key;
    }
}
