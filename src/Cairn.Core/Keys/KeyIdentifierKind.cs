namespace Cairn.Core.Keys;

/// <summary>The four ways KMS lets a caller name a key.</summary>
public enum KeyIdentifierKind
{
    KeyId,
    KeyArn,
    AliasName,
    AliasArn,
}
