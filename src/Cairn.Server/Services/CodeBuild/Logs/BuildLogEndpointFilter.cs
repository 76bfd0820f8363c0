using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>Puts the build log, build role and build agent endpoints in front of the AWS request handler, which takes every other path.</summary>
internal sealed class BuildLogEndpointFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (BuildLogEndpoint.Matches(http.Request))
            {
                await http.RequestServices.GetRequiredService<BuildLogEndpoint>().HandleAsync(http);
                return;
            }

            if (BuildRoleEndpoint.Matches(http.Request))
            {
                await http.RequestServices.GetRequiredService<BuildRoleEndpoint>().HandleAsync(http);
                return;
            }

            if (Agents.AgentEndpoint.Matches(http.Request))
            {
                await http.RequestServices.GetRequiredService<Agents.AgentEndpoint>().HandleAsync(http);
                return;
            }

            await nextMiddleware(http);
        });
        next(app);
    };
}
