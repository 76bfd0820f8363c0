namespace Cairn.Core.Identity.Passwords;

/// <summary>Argon2id's cost: memory in KiB, passes over it, and lanes.</summary>
public sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism);
