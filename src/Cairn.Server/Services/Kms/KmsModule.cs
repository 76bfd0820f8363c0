using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Kms;

public static class KmsModule
{
    /// <summary>The key service over the registered IKeyStore: KMS API, <see cref="IKeyService"/> for other services, master key.</summary>
    public static IServiceCollection AddKms(this IServiceCollection services)
    {
        services.AddSingleton(provider => MasterKeyFile.LoadOrCreate(provider.GetRequiredService<CairnServerOptions>()));
        services.AddSingleton<KeyService>();
        services.AddSingleton<IKeyService>(provider => provider.GetRequiredService<KeyService>());
        services.AddSingleton<IJsonService, KmsService>();
        services.AddHostedService<MasterKeyCheck>();
        return services;
    }
}
