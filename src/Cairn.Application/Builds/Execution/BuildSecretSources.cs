using Cairn.Application.Parameters;
using Cairn.Application.Secrets;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>Makes each build's Parameter Store and Secrets Manager reader, reading as the build's role session in this process.</summary>
public sealed class BuildSecretSources(ParameterService parameters, SecretService secrets, IAuditLog audit, TimeProvider time) : IBuildSecretSources
{
    public IBuildSecretSource For(RequestContext role) =>
        new RoleSecretsManagerSource(new RoleParameterSource(parameters, audit, role, time), secrets, audit, role, time);
}
