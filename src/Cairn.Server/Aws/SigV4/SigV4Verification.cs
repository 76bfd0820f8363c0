namespace Cairn.Server.Aws.SigV4;

/// <summary>A signature that verified, with the canonical request and string to sign it was checked against.</summary>
public sealed record SigV4Verification(string CanonicalRequest, string StringToSign);
