using Cairn.Application.Logs;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Logs;

internal static class LogsModule
{
    /// <summary>CloudWatch Logs (Logs_20140328): the application service over the log store and the build logs, its wire adapter, and the retention sweep; the CodeBuild module owns the build logs themselves.</summary>
    public static IServiceCollection AddLogs(this IServiceCollection services)
    {
        services.AddSingleton<LogService>();
        services.AddSingleton<LogsService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<LogsService>());
        services.AddSingleton<LogRetentionSweep>();
        services.AddHostedService(provider => provider.GetRequiredService<LogRetentionSweep>());
        return services;
    }
}
