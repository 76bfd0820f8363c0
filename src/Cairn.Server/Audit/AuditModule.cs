using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Audit;

internal static class AuditModule
{
    /// <summary>Registers the audit log and wraps whichever IAuthorizer is registered; call after every other module.</summary>
    public static void AddAudit(this IServiceCollection services)
    {
        services.AddSingleton(SqliteAuditLog.Migrations);
        services.AddSingleton<SqliteAuditLog>();
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<SqliteAuditLog>());
        services.AddSingleton<AuditRetentionSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditRetentionSweeper>());

        var registered = services.Last(d => d.ServiceType == typeof(IAuthorizer));
        services.Remove(registered);
        services.AddSingleton<IAuthorizer>(provider =>
            new AuditingAuthorizer((IAuthorizer)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))));
    }
}
