using Cairn.Application.Parameters;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Ssm;

internal static class SsmModule
{
    /// <summary>Parameter Store: the AmazonSSM service and the expiration sweeper, over the registered IParameterRepository.</summary>
    public static IServiceCollection AddSsm(this IServiceCollection services)
    {
        // SecureStrings need the key service (IKeyService): KmsModule registers it.
        services.AddSingleton<ParameterCrypto>();
        services.AddSingleton<ParameterService>();
        services.AddSingleton<SsmService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<SsmService>());
        services.AddSingleton<ParameterExpirationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ParameterExpirationSweeper>());
        return services;
    }
}
