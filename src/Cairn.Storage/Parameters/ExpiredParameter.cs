using Cairn.Core.Parameters;

namespace Cairn.Storage.Parameters;

public sealed record ExpiredParameter(ParameterScope Scope, string Key, DateTimeOffset ExpiresAt);
