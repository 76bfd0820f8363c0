using Cairn.Application.Parameters;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Runner.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>Makes each build's Parameter Store reader, reading as the build's role session in this process.</summary>
public sealed class BuildSecretSources(ParameterService parameters, IAuditLog audit, TimeProvider time) : IBuildSecretSources
{
    public IBuildSecretSource For(RequestContext role) => new RoleParameterSource(parameters, audit, role, time);
}
