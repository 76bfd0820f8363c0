using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Parameters;
using Cairn.Storage.Sqlite.Parameters;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Ssm;

internal static class SsmModule
{
    /// <summary>Parameter Store: its tables, repository, the AmazonSSM service and the expiration sweeper.</summary>
    public static IServiceCollection AddSsm(this IServiceCollection services)
    {
        services.AddSingleton(SqliteParameterRepository.Migrations);
        services.AddSingleton<IParameterRepository>(provider => new SqliteParameterRepository(
            provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<CairnServerOptions>().ParameterCacheBytes));

        // SecureStrings need the key service (IKeyService): KmsModule registers it.
        services.AddSingleton<SsmService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<SsmService>());
        services.AddSingleton<ParameterExpirationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ParameterExpirationSweeper>());
        return services;
    }
}
