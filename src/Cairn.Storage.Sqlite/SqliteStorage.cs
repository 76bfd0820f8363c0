using Cairn.Core.Audit;
using Cairn.Storage.Builds;
using Cairn.Storage.Changes;
using Cairn.Storage.Connections;
using Cairn.Storage.DataProtection;
using Cairn.Storage.Identity;
using Cairn.Storage.Keys;
using Cairn.Storage.Logs;
using Cairn.Storage.Parameters;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Reports;
using Cairn.Storage.Secrets;
using Cairn.Storage.Sessions;
using Cairn.Storage.Sqlite.Audit;
using Cairn.Storage.Sqlite.Builds;
using Cairn.Storage.Sqlite.Connections;
using Cairn.Storage.Sqlite.DataProtection;
using Cairn.Storage.Sqlite.Identity;
using Cairn.Storage.Sqlite.Keys;
using Cairn.Storage.Sqlite.Logs;
using Cairn.Storage.Sqlite.Parameters;
using Cairn.Storage.Sqlite.Pipelines;
using Cairn.Storage.Sqlite.Reports;
using Cairn.Storage.Sqlite.Secrets;
using Cairn.Storage.Sqlite.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// The SQLite backend, registered in one call: the database (opened, and every module's schema migrated, on first use),
/// every store interface and the change feeds of the stores that have one. Modules depend on the interfaces only.
/// </summary>
public static class SqliteStorage
{
    /// <summary>
    /// Every module's schema, in the order they run. <see cref="SqliteIdentityStore"/> needs the master key
    /// (<c>Cairn.Core.Keys.MasterKey</c>) registered by whoever hosts it.
    /// </summary>
    public static IReadOnlyList<MigrationSet> Migrations { get; } =
        [IdentityMigrations.Set, SqliteParameterRepository.Migrations, KeyMigrations.Set, BuildMigrations.Set, SqliteAuditLog.Migrations, PipelineMigrations.Set,
         PipelineExecutionMigrations.Set, ConnectionMigrations.Set, LogMigrations.Set, SqliteConsoleSessionStore.Migrations,
         SecretMigrations.Set, SqliteNamingRuleStore.Migrations, ReportMigrations.Set, SqliteDataProtectionKeyStore.Migrations, SqlitePipelineRunners.Migrations];

    /// <summary>
    /// The build store and the log groups' store alone, over their own connection to the database and with only their
    /// tables migrated: for a process that stores the builds it runs (`cairn build`) and must open nothing else (keys,
    /// identities, parameters). Dispose <c>Database</c> when done.
    /// </summary>
    public static (IBuildStore Builds, ILogStore Logs, IDisposable Database) OpenBuildStore(SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var database = SqliteDatabase.Open(options.DatabasePath, [BuildMigrations.Set, LogMigrations.Set]);
        return (new SqliteBuildStore(database), new SqliteLogStore(database), database);
    }

    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, SqliteStorageOptions options)
    {
        services.AddSingleton(_ => SqliteDatabase.Open(options.DatabasePath, Migrations));

        services.AddSingleton(provider => new SqliteParameterRepository(provider.GetRequiredService<SqliteDatabase>(), options.ParameterCacheBytes));
        services.AddSingleton<IParameterRepository>(provider => provider.GetRequiredService<SqliteParameterRepository>());
        services.AddSingleton<IChangeFeed<IParameterRepository>>(provider => provider.GetRequiredService<SqliteParameterRepository>());

        services.AddSingleton(provider => new SqliteKeyStore(provider.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IKeyStore>(provider => provider.GetRequiredService<SqliteKeyStore>());
        services.AddSingleton<IChangeFeed<IKeyStore>>(provider => provider.GetRequiredService<SqliteKeyStore>());

        services.AddSingleton<SqliteIdentityStore>();
        services.AddSingleton<IIdentityStore>(provider => provider.GetRequiredService<SqliteIdentityStore>());
        services.AddSingleton<IChangeFeed<IIdentityStore>>(provider => provider.GetRequiredService<SqliteIdentityStore>());

        services.AddSingleton<IBuildStore, SqliteBuildStore>();
        services.AddSingleton<IBuildAgentStore, SqliteBuildAgentStore>();

        services.AddSingleton<SqliteAuditLog>();
        services.AddSingleton<IAuditLog>(provider => provider.GetRequiredService<SqliteAuditLog>());

        services.AddSingleton<IPipelineStore, SqlitePipelineStore>();
        services.AddSingleton<SqlitePipelineExecutionStore>();
        services.AddSingleton<IPipelineExecutionStore>(provider => provider.GetRequiredService<SqlitePipelineExecutionStore>());
        services.AddSingleton<IChangeFeed<IPipelineExecutionStore>>(provider => provider.GetRequiredService<SqlitePipelineExecutionStore>());
        services.AddSingleton<IPipelineRunners, SqlitePipelineRunners>();
        services.AddSingleton<ICodeConnectionStore, SqliteCodeConnectionStore>();
        services.AddSingleton<IReportStore, SqliteReportStore>();
        services.AddSingleton<ILogStore, SqliteLogStore>();
        services.AddSingleton<IConsoleSessionStore, SqliteConsoleSessionStore>();
        services.AddSingleton<IConsoleSignInFailureStore, SqliteConsoleSignInFailureStore>();
        services.AddSingleton<IDataProtectionKeyStore, SqliteDataProtectionKeyStore>();
        services.AddSingleton<ISecretStore, SqliteSecretStore>();
        services.AddSingleton<INamingRuleStore, SqliteNamingRuleStore>();
        return services;
    }
}
