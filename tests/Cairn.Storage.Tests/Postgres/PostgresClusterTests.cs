using Npgsql;

namespace Cairn.Storage.Tests.Postgres;

[RequiresPostgres]
public sealed class PostgresClusterTests
{
    [StoreFact]
    public async Task Each_test_database_is_separate_and_is_gone_after_dispose()
    {
        var first = await PostgresCluster.Shared.CreateDatabaseAsync();
        await using (var second = await PostgresCluster.Shared.CreateDatabaseAsync())
        {
            await ExecuteAsync(first.ConnectionString, "CREATE TABLE only_here (id integer)");
            await ExecuteAsync(second.ConnectionString, "CREATE TABLE only_here (id integer)");
        }

        await first.DisposeAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(first.ConnectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, error.SqlState);
    }

    [StoreFact]
    public async Task The_cluster_listens_on_loopback_and_refuses_a_wrong_password()
    {
        var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        await using var _ = database;
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "wrong" }.ConnectionString;

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(wrong, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var address = new NpgsqlCommand("SELECT host(inet_server_addr())", connection);
        Assert.Equal("127.0.0.1", await address.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
