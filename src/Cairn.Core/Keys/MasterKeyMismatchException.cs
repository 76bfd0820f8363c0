namespace Cairn.Core.Keys;

/// <summary>The master key in use is not the one the stored keys were wrapped with.</summary>
public sealed class MasterKeyMismatchException(string message) : Exception(message);
