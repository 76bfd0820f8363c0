using Cairn.Application.Keys;
using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Kms;

public static class KmsModule
{
    /// <summary>The keys over the registered IKeyStore: <see cref="KeyRing"/> (also <see cref="IKeyService"/> for other services), <see cref="KeyService"/>, the KMS API, the master key.</summary>
    public static IServiceCollection AddKms(this IServiceCollection services)
    {
        services.AddSingleton(provider => MasterKeyFile.LoadOrCreate(provider.GetRequiredService<CairnServerOptions>()));
        services.AddSingleton<KeyRing>();
        services.AddSingleton<IKeyService>(provider => provider.GetRequiredService<KeyRing>());
        services.AddSingleton<KeyService>();
        services.AddSingleton<IJsonService, KmsService>();
        services.AddHostedService<MasterKeyCheck>();
        return services;
    }
}
