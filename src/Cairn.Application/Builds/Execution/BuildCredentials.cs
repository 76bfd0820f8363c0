using Cairn.Core.Identity;

namespace Cairn.Application.Builds.Execution;

/// <summary>A build's role session: the temporary credentials its commands get and the principal its reads are made as.</summary>
public sealed record BuildCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration, Principal Principal);
