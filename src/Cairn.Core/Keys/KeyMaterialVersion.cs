using System.Security.Cryptography;
using System.Text;

namespace Cairn.Core.Keys;

/// <summary>
/// Key material a rotation added (version 1, 2, ...; the key's first material is version 0 and lives on the key record).
/// <see cref="WrappedMaterial"/> is wrapped by the master key under <see cref="WrapId"/>, never plaintext.
/// </summary>
/// <param name="RotationType"><c>AUTOMATIC</c> or <c>ON_DEMAND</c>, as ListKeyRotations reports it.</param>
public sealed record KeyMaterialVersion(int Version, byte[] WrappedMaterial, string RotationType, DateTimeOffset RotationDate)
{
    public const string Automatic = "AUTOMATIC";
    public const string OnDemand = "ON_DEMAND";

    /// <summary>The id the master key binds a version's wrapped material to: version 0 is the key id itself.</summary>
    public static string WrapId(string keyId, int version) => version == 0 ? keyId : $"{keyId}#{version}";

    /// <summary>KMS's KeyMaterialId: 64 hex digits, here derived from the key id and version (no secret in it).</summary>
    public static string MaterialId(string keyId, int version) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WrapId(keyId, version))));
}
