using Cairn.Core.Parameters;

namespace Cairn.Application.Parameters;

/// <summary>One parameter a read found: the name and selector as asked, its ARN, the version read and its value.</summary>
/// <param name="Value">Plaintext, or for a SecureString read without decryption its ciphertext.</param>
public sealed record ResolvedValue(ParameterReference Reference, string Arn, ParameterVersion Version, string Value)
{
    /// <summary>What was asked: the name with its selector (<c>/app/db:3</c>, <c>/app/db:prod</c>).</summary>
    public string Asked => Reference.Name + (Reference.Selector ?? string.Empty);
}
