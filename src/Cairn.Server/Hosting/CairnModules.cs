using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Hosting;

/// <summary>Where every subsystem registers itself: one line per module.</summary>
internal static class CairnModules
{
    public static void AddAll(IServiceCollection services, CairnServerOptions options)
    {
        services.AddSingleton(provider => SqliteDatabase.Open(
            Path.Combine(options.DataDirectory, "cairn.db"),
            provider.GetServices<MigrationSet>()));

        services.AddSingleton<IRequestAuthenticator, Aws.SigV4.SigV4Authenticator>();
        Services.Iam.IdentityModule.AddIdentity(services);
        Services.Ssm.SsmModule.AddSsm(services);
        Services.Kms.KmsModule.AddKms(services);
        Services.CodeBuild.CodeBuildModule.AddCodeBuild(services);
    }
}
