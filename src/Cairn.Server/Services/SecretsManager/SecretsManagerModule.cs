using Cairn.Application.Secrets;
using Cairn.Server.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.SecretsManager;

internal static class SecretsManagerModule
{
    /// <summary>Secrets Manager over the registered ISecretStore; values need the key service (KmsModule registers it).</summary>
    public static IServiceCollection AddSecretsManager(this IServiceCollection services)
    {
        services.AddSingleton<SecretCrypto>();
        services.AddSingleton<SecretService>();
        services.AddSingleton<SecretReplication>();
        services.AddSingleton<SecretsManagerService>();
        services.AddSingleton<IJsonService>(provider => provider.GetRequiredService<SecretsManagerService>());
        return services;
    }
}
