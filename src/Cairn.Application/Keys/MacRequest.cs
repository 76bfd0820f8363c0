namespace Cairn.Application.Keys;

/// <summary>GenerateMac and VerifyMac; <paramref name="Mac"/> is VerifyMac's.</summary>
public sealed record MacRequest(string KeyId, byte[] Message, string MacAlgorithm, byte[]? Mac = null, bool DryRun = false);
