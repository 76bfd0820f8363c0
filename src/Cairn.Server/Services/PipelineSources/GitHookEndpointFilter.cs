using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.PipelineSources;

/// <summary>Puts the git push hook endpoint in front of the AWS request handler, which takes every other path.</summary>
internal sealed class GitHookEndpointFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (GitHookEndpoint.Matches(http.Request))
            {
                await http.RequestServices.GetRequiredService<GitHookEndpoint>().HandleAsync(http);
                return;
            }

            await nextMiddleware(http);
        });
        next(app);
    };
}
