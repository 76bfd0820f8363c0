namespace Cairn.Core.Parameters;

/// <summary>How a write's value must be stored: its type and, for SecureString, the key to encrypt it under.</summary>
public readonly record struct ParameterEncryptionPlan(string Type, string? KeyId)
{
    public bool IsSecure => Type == ParameterTypes.SecureString;
}
