using Cairn.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Audit;

internal static class AuditModule
{
    /// <summary>Registers the audit retention sweeper over the registered IAuditLog and wraps whichever IAuthorizer is registered; call after every other module.</summary>
    public static void AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<Application.Audit.AuditService>();
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
