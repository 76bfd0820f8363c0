using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Storage.Parameters;
using Cairn.Storage.Sqlite.Parameters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Services.Ssm;

internal static class SsmModule
{
    /// <summary>Parameter Store: its tables, repository, the AmazonSSM service and the expiration sweeper.</summary>
    public static IServiceCollection AddSsm(this IServiceCollection services)
    {
        services.AddSingleton(SqliteParameterRepository.Migrations);
        services.AddSingleton<IParameterRepository, SqliteParameterRepository>();

        // The KMS module's registration (AddSingleton) wins over this fallback, whichever is registered first.
        services.TryAddSingleton<IKeyService, UnavailableKeyService>();
        services.AddSingleton<SsmService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<SsmService>());
        services.AddSingleton<ParameterExpirationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ParameterExpirationSweeper>());
        return services;
    }
}
