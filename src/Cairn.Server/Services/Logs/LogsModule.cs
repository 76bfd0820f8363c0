using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Logs;

internal static class LogsModule
{
    /// <summary>CloudWatch Logs (Logs_20140328) over the build logs; the CodeBuild module owns the logs themselves.</summary>
    public static IServiceCollection AddLogs(this IServiceCollection services)
    {
        services.AddSingleton<LogsService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<LogsService>());
        return services;
    }
}
