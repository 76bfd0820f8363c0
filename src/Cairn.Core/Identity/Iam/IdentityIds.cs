using System.Security.Cryptography;
using System.Text;

namespace Cairn.Core.Identity.Iam;

/// <summary>
/// Identifiers shaped like AWS's: a four-letter kind prefix (AIDA user, AROA role, AGPA group, ANPA policy, AIPA instance profile,
/// AKIA access key, ASIA temporary key) and random upper-case base-32 characters; secrets from the system RNG.
/// </summary>
public static class IdentityIds
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string UserId() => "AIDA" + Random(Base32, 17);

    public static string RoleId() => "AROA" + Random(Base32, 17);

    public static string GroupId() => "AGPA" + Random(Base32, 17);

    public static string PolicyId() => "ANPA" + Random(Base32, 17);

    public static string InstanceProfileId() => "AIPA" + Random(Base32, 17);

    public static string AccessKeyId() => "AKIA" + Random(Base32, 16);

    public static string TemporaryAccessKeyId() => "ASIA" + Random(Base32, 16);

    /// <summary>40 characters, like AWS secret access keys.</summary>
    public static string SecretAccessKey() => Random(SecretAlphabet, 40);

    /// <summary>An opaque session token (AWS's are long base64 blobs); only compared for equality.</summary>
    public static string SessionToken() => "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(192));

    private static string Random(string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        }

        return builder.ToString();
    }
}
