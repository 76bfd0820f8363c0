using Cairn.Core.Identity;

namespace Cairn.Server.Aws.SigV4;

/// <summary>The outcome of checking a request's signature: who signed it, for which region and service.</summary>
public sealed record AuthenticatedRequest(SigningCredential Credential, string Region, string Service);
