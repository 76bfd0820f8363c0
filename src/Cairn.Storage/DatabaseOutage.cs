using System.Data.Common;

namespace Cairn.Storage;

/// <summary>
/// Tells a database that went away (refused or dropped connections, no primary among the hosts, a server shutting down
/// or not yet accepting connections, as during a PostgreSQL failover) from a bug: an API request is answered 503
/// ServiceUnavailable, which clients retry, rather than 500; work that waits on the database (a pipeline's CodeBuild
/// action following its build) reads again later instead of failing.
/// </summary>
public static class DatabaseOutage
{
    // SQLSTATE class 08 (connection exception), and 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
    private static readonly string[] s_unavailableStates = ["57P01", "57P02", "57P03"];

    /// <summary>The database error in <paramref name="error"/>'s chain that says the database is unavailable, or null.</summary>
    public static DbException? Of(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } single)
            {
                current = single.InnerExceptions[0];
            }

            // A database error without an SQLSTATE never reached a server (no host, refused, reset, timed out: Npgsql's
            // NpgsqlException, "No suitable host was found" while a replica is promoted); one with a state is the server's.
            if (current is DbException database
                && (database.IsTransient || database.SqlState is not { } state || state.StartsWith("08", StringComparison.Ordinal) || s_unavailableStates.Contains(state)))
            {
                return database;
            }
        }

        return null;
    }
}
