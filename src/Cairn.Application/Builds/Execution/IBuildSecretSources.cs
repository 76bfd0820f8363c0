using Cairn.Core.Identity;
using Cairn.Runner.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>Where a build's Parameter Store values come from, given the role session it reads them as.</summary>
public interface IBuildSecretSources
{
    IBuildSecretSource For(RequestContext role);
}
