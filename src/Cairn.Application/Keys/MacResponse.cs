namespace Cairn.Application.Keys;

/// <summary>GenerateMac's result; VerifyMac's has no <paramref name="Mac"/>.</summary>
public sealed record MacResponse(string KeyArn, string MacAlgorithm, byte[]? Mac = null);
