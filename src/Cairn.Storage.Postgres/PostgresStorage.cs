using Cairn.Core.Audit;
using Cairn.Storage.Artifacts;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Cairn.Storage.Changes;
using Cairn.Storage.Connections;
using Cairn.Storage.DataProtection;
using Cairn.Storage.Identity;
using Cairn.Storage.Keys;
using Cairn.Storage.Logs;
using Cairn.Storage.Parameters;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Postgres.Artifacts;
using Cairn.Storage.Postgres.Audit;
using Cairn.Storage.Postgres.BuildLogs;
using Cairn.Storage.Postgres.Builds;
using Cairn.Storage.Postgres.Connections;
using Cairn.Storage.Postgres.DataProtection;
using Cairn.Storage.Postgres.Identity;
using Cairn.Storage.Postgres.Keys;
using Cairn.Storage.Postgres.Logs;
using Cairn.Storage.Postgres.Notifications;
using Cairn.Storage.Postgres.Parameters;
using Cairn.Storage.Postgres.Pipelines;
using Cairn.Storage.Postgres.Reports;
using Cairn.Storage.Postgres.Secrets;
using Cairn.Storage.Postgres.Sessions;
using Cairn.Storage.Reports;
using Cairn.Storage.Secrets;
using Cairn.Storage.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Storage.Postgres;

/// <summary>
/// The PostgreSQL backend, registered in one call beside SqliteStorage's: every store interface and the change feeds of
/// the stores that have one, over one <see cref="PostgresDatabase"/> the host opened (and so migrated) before it starts
/// anything, so that a wrong connection string or an unreachable server stops it with nothing half-started. Every feed is
/// a change number triggers move in the database itself, so a cache over a store sees another server's write on its next
/// check; pipeline executions' feed is moved by NOTIFY instead (an open pipeline page asks it every 200 ms, from memory).
/// Build logs are here too, their followers woken through the server's one LISTEN connection (<see cref="PostgresNotifications"/>),
/// so any server reads and follows any build's log, and pipeline artifacts (<see cref="PostgresArtifactStore"/>), so a build
/// on any server reads the archives another server's action stored, and what builds kept for their pages (the buildspec
/// and artifact files, <see cref="PostgresBuildFileStore"/>), so any server shows any build's.
/// </summary>
public static class PostgresStorage
{
    /// <summary>Every store's schema. <see cref="PostgresIdentityStore"/> needs the master key registered by the host.</summary>
    public static IReadOnlyList<PostgresMigrationSet> Migrations { get; } =
        [IdentityMigrations.Set, ParameterMigrations.Set, KeyMigrations.Set, BuildMigrations.Set, PostgresAuditLog.Migrations, PostgresPipelineStore.Migrations,
         PostgresPipelineExecutionStore.Migrations, PostgresCodeConnectionStore.Migrations, LogMigrations.Set, PostgresConsoleSessionStore.Migrations,
         SecretMigrations.Set, PostgresNamingRuleStore.Migrations, PostgresReportStore.Migrations, PostgresDataProtectionKeyStore.Migrations, BuildLogMigrations.Set,
         PostgresArtifactStore.Migrations, PostgresPipelineRunners.Migrations, PostgresBuildFileStore.Migrations];

    /// <summary>Connects and brings every store's schema up to date; throws <see cref="PostgresStorageException"/> (server named, never the password).</summary>
    public static Task<PostgresDatabase> OpenAsync(string connectionString, CancellationToken cancellationToken) =>
        PostgresDatabase.OpenAsync(connectionString, Migrations, cancellationToken);

    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresDatabase database)
    {
        // A factory, so the container disposes the database (after the stores it made, the audit log flushing last).
        services.AddSingleton(_ => database);

        services.AddSingleton<PostgresParameterRepository>();
        services.AddSingleton<IParameterRepository>(provider => provider.GetRequiredService<PostgresParameterRepository>());

        services.AddSingleton<PostgresKeyStore>();
        services.AddSingleton<IKeyStore>(provider => provider.GetRequiredService<PostgresKeyStore>());
        services.AddSingleton<IChangeFeed<IKeyStore>>(provider => provider.GetRequiredService<PostgresKeyStore>());

        services.AddSingleton<PostgresIdentityStore>();
        services.AddSingleton<IIdentityStore>(provider => provider.GetRequiredService<PostgresIdentityStore>());
        services.AddSingleton<IChangeFeed<IIdentityStore>>(provider => provider.GetRequiredService<PostgresIdentityStore>());

        services.AddSingleton<IBuildStore, PostgresBuildStore>();
        services.AddSingleton<IBuildAgentStore, PostgresBuildAgentStore>();
        services.AddSingleton<PostgresNotifications>();
        services.AddSingleton<IBuildLogStore, PostgresBuildLogStore>();

        services.AddSingleton<PostgresAuditLog>();
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<PostgresAuditLog>());

        services.AddSingleton<IPipelineStore, PostgresPipelineStore>();
        services.AddSingleton<PostgresPipelineExecutionStore>();
        services.AddSingleton<IPipelineExecutionStore>(provider => provider.GetRequiredService<PostgresPipelineExecutionStore>());
        services.AddSingleton<IChangeFeed<IPipelineExecutionStore>>(provider => provider.GetRequiredService<PostgresPipelineExecutionStore>());
        services.AddSingleton<IPipelineRunners, PostgresPipelineRunners>();
        services.AddSingleton<ICodeConnectionStore, PostgresCodeConnectionStore>();
        services.AddSingleton<ILogStore, PostgresLogStore>();
        services.AddSingleton<IConsoleSessionStore, PostgresConsoleSessionStore>();
        services.AddSingleton<IConsoleSignInFailureStore, PostgresConsoleSignInFailureStore>();
        services.AddSingleton<IDataProtectionKeyStore, PostgresDataProtectionKeyStore>();
        services.AddSingleton<ISecretStore, PostgresSecretStore>();
        services.AddSingleton<INamingRuleStore, PostgresNamingRuleStore>();
        services.AddSingleton<IReportStore, PostgresReportStore>();
        // Registered before CodeBuild's module, whose file stores are only TryAdds: every server shares these archives and build files.
        services.AddSingleton<IArtifactStore, PostgresArtifactStore>();
        services.AddSingleton<IBuildFileStore, PostgresBuildFileStore>();
        return services;
    }
}
