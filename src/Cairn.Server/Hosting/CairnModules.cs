using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.SigV4;
using Cairn.Storage.Postgres;
using Cairn.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Hosting;

/// <summary>Where every subsystem registers itself: one line per module.</summary>
internal static class CairnModules
{
    public static void AddAll(IServiceCollection services, CairnServerOptions options, PostgresDatabase? database)
    {
        // The storage backend, chosen here and nowhere else: modules depend on the store interfaces only. PostgreSQL when
        // `--database` named one (opened by CairnServer before anything starts), else SQLite in the data directory.
        if (database is not null)
        {
            services.AddPostgresStorage(database);
        }
        else
        {
            services.AddSqliteStorage(new SqliteStorageOptions(options.DatabasePath, options.ParameterCacheBytes));
        }

        services.AddSingleton<IRequestAuthenticator, SigV4Authenticator>();
        Services.Iam.IdentityModule.AddIdentity(services);
        Services.Ssm.SsmModule.AddSsm(services);
        Services.Hygiene.HygieneModule.AddHygiene(services);
        Services.Kms.KmsModule.AddKms(services);
        Services.SecretsManager.SecretsManagerModule.AddSecretsManager(services);
        Services.CodeBuild.CodeBuildModule.AddCodeBuild(services);
        Services.CodePipeline.CodePipelineModule.AddCodePipeline(services);
        Services.CodePipeline.PipelineEngineModule.AddPipelineEngine(services);
        Services.PipelineSources.PipelineSourcesModule.AddPipelineSources(services);
        Services.CodeBuild.CodeBuildActionModule.AddCodeBuildActions(services);
        Services.CodePipeline.DeployActionsModule.AddDeployActions(services);
    }
}
