using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Storage.Keys;
using Cairn.Storage.Sqlite.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Services.Kms;

public static class KmsModule
{
    /// <summary>The key service: KMS API, <see cref="IKeyService"/> for other services, master key, keys tables.</summary>
    public static IServiceCollection AddKms(this IServiceCollection services)
    {
        services.AddSingleton(KeyMigrations.Set);
        services.AddSingleton<IKeyStore, SqliteKeyStore>();
        services.AddSingleton(provider => MasterKeyFile.LoadOrCreate(provider.GetRequiredService<CairnServerOptions>()));
        services.AddSingleton<KeyService>();
        services.AddSingleton<IKeyService>(provider => provider.GetRequiredService<KeyService>());
        services.AddSingleton<IJsonService, KmsService>();
        services.AddHostedService<MasterKeyCheck>();
        return services;
    }
}
