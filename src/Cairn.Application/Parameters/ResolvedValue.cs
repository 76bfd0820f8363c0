using Cairn.Core.Parameters;

namespace Cairn.Application.Parameters;

/// <summary>One parameter a read found: the name and selector as asked, the name to report, its ARN, the version read and its value.</summary>
/// <param name="Name">The name a response reports (<see cref="ParameterReference.ResponseName"/>): for an ARN, the parameter's name.</param>
/// <param name="Value">Plaintext, or for a SecureString read without decryption its ciphertext.</param>
public sealed record ResolvedValue(ParameterReference Reference, string Name, string Arn, ParameterVersion Version, string Value)
{
    /// <summary>What was asked: the name with its selector (<c>/app/db:3</c>, <c>/app/db:prod</c>).</summary>
    public string Asked => Reference.Asked;
}
