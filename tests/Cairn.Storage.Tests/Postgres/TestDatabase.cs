namespace Cairn.Storage.Tests.Postgres;

/// <summary>One test's own database in the run's cluster; dropped on dispose.</summary>
public sealed class TestDatabase(PostgresCluster cluster, string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync() => new(cluster.DropDatabaseAsync(Name));
}
