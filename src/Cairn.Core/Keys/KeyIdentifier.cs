using System.Text.RegularExpressions;
using Cairn.Core.Errors;

namespace Cairn.Core.Keys;

/// <summary>
/// A parsed KeyId parameter: a key id (UUID), key ARN, alias name (<c>alias/x</c>) or alias ARN.
/// <see cref="Name"/> is the key id for keys and the full alias name (<c>alias/x</c>) for aliases.
/// </summary>
public sealed partial record KeyIdentifier(KeyIdentifierKind Kind, string Name, string? ArnRegion, string? ArnAccount)
{
    public bool IsAlias => Kind is KeyIdentifierKind.AliasName or KeyIdentifierKind.AliasArn;

    /// <summary>Parses with KMS's errors: NotFoundException "Invalid keyId ..." or "Invalid arn ...".</summary>
    public static KeyIdentifier Parse(string text)
    {
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms" || parts[3].Length == 0 || parts[4].Length == 0)
            {
                throw AwsErrors.KmsInvalidArn(text);
            }

            var resource = parts[5];
            if (resource.StartsWith("key/", StringComparison.Ordinal) && resource.Length > 4)
            {
                return new KeyIdentifier(KeyIdentifierKind.KeyArn, resource[4..], parts[3], parts[4]);
            }

            if (resource.StartsWith("alias/", StringComparison.Ordinal) && resource.Length > 6)
            {
                return new KeyIdentifier(KeyIdentifierKind.AliasArn, resource, parts[3], parts[4]);
            }

            throw AwsErrors.KmsInvalidArn(text);
        }

        if (text.StartsWith("alias/", StringComparison.Ordinal))
        {
            return new KeyIdentifier(KeyIdentifierKind.AliasName, text, null, null);
        }

        if (!KeyIdPattern().IsMatch(text))
        {
            throw AwsErrors.KmsInvalidKeyId(text);
        }

        return new KeyIdentifier(KeyIdentifierKind.KeyId, text, null, null);
    }

    /// <summary>A bare UUID, or a multi-Region key id (mrk- and 32 hex digits), which KMS accepts syntactically.</summary>
    [GeneratedRegex("^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$")]
    private static partial Regex KeyIdPattern();
}
