using Cairn.Server.Aws;
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
        services.AddSingleton<IParameterRepository, SqliteParameterRepository>();

        // IKeyService (SecureString encryption) comes from the KMS module.
        services.AddSingleton<SsmService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<SsmService>());
        services.AddSingleton<ParameterExpirationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ParameterExpirationSweeper>());
        return services;
    }
}
