namespace Cairn.Core.Parameters;

/// <summary>
/// The parameter changed type or key between encrypting a value and storing it (a concurrent writer): the caller
/// encrypts again against the new state and retries.
/// </summary>
public sealed class ParameterWriteConflictException : Exception
{
    public ParameterWriteConflictException()
        : base("The parameter's type or key changed while it was being written; retry.")
    {
    }

    public ParameterWriteConflictException(string message)
        : base(message)
    {
    }

    public ParameterWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
