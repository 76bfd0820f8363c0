using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>GetPublicKey's result: the key (spec, usage, algorithms) and its public key as DER SubjectPublicKeyInfo.</summary>
public sealed record PublicKeyResponse(KeyRecord Key, byte[] PublicKey);
