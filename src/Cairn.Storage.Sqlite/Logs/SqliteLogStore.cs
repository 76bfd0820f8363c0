using System.Text;
using System.Text.Json.Nodes;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;

namespace Cairn.Storage.Sqlite.Logs;

/// <summary>Log groups, streams and stored events in the embedded database (tables from <see cref="LogMigrations"/>).</summary>
public sealed class SqliteLogStore(SqliteDatabase database) : ILogStore
{
    private const string GroupColumns = "account_id, region, name, created_at, retention_days, log_group_class, kms_key_id, deletion_protection, tags";
    private const string StreamColumns = "id, group_name, name, created_at, build_uuid, first_event_time, last_event_time, last_ingestion_time, stored_bytes";
    private const string StreamKey = "account_id = ? AND region = ? AND group_name = ? AND name = ?";
    private const int SearchPage = 1000;

    public Task<bool> CreateGroupAsync(LogGroupRecord group, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            if (GroupExists(c, group.AccountId, group.Region, group.Name))
            {
                return false;
            }

            c.Execute(
                $"INSERT INTO logs_groups ({GroupColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                group.AccountId, group.Region, group.Name, group.Created, group.RetentionInDays, group.LogGroupClass, group.KmsKeyId, group.DeletionProtection, TagsJson(group.Tags));
            return true;
        }, cancellationToken);

    public Task<LogGroupRecord?> GetGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle(
            $"SELECT {GroupColumns} FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?", ReadGroup, accountId, region, name)));

    public Task<IReadOnlyList<LogGroupRecord>> ListGroupsAsync(string accountId, string region, string prefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LogGroupRecord>>(database.Read(c => c.Query(
            $"SELECT {GroupColumns} FROM logs_groups WHERE account_id = ? AND region = ? AND substr(name, 1, ?) = ? ORDER BY name",
            ReadGroup, accountId, region, prefix.Length, prefix)));

    public Task<IReadOnlyList<LogGroupRecord>> ListGroupsWithRetentionAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LogGroupRecord>>(database.Read(c => c.Query(
            $"SELECT {GroupColumns} FROM logs_groups WHERE retention_days IS NOT NULL ORDER BY account_id, region, name", ReadGroup)));

    public Task<IReadOnlyList<LogStreamRecord>?> DeleteGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<LogStreamRecord>?>(c =>
        {
            if (!GroupExists(c, accountId, region, name))
            {
                return null;
            }

            var streams = c.Query($"SELECT {StreamColumns} FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ?", ReadStream, accountId, region, name);
            foreach (var stream in streams)
            {
                c.Execute("DELETE FROM logs_events WHERE stream_id = ?", stream.Id);
            }

            c.Execute("DELETE FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ?", accountId, region, name);
            c.Execute("DELETE FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?", accountId, region, name);
            return streams;
        }, cancellationToken);

    public Task<bool> SetRetentionAsync(string accountId, string region, string name, int? days, CancellationToken cancellationToken) =>
        database.WriteAsync(
            c => c.Execute("UPDATE logs_groups SET retention_days = ? WHERE account_id = ? AND region = ? AND name = ?", days, accountId, region, name) > 0,
            cancellationToken);

    public Task<IReadOnlyDictionary<string, string>?> UpdateTagsAsync(
        string accountId, string region, string name, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            var current = c.QuerySingle("SELECT tags FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?", r => ParseTags(r.GetString(0)), accountId, region, name);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            c.Execute("UPDATE logs_groups SET tags = ? WHERE account_id = ? AND region = ? AND name = ?", TagsJson(changed), accountId, region, name);
            return changed;
        }, cancellationToken);

    public Task<StreamCreation> CreateStreamAsync(string accountId, string region, string groupName, string streamName, DateTimeOffset created, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            if (!GroupExists(c, accountId, region, groupName))
            {
                return StreamCreation.GroupNotFound;
            }

            if (c.QuerySingle($"SELECT 1 FROM logs_streams WHERE {StreamKey}", r => r.GetInt32(0), accountId, region, groupName, streamName) == 1)
            {
                return StreamCreation.AlreadyExists;
            }

            c.Execute("INSERT INTO logs_streams (account_id, region, group_name, name, created_at) VALUES (?, ?, ?, ?, ?)", accountId, region, groupName, streamName, created);
            return StreamCreation.Created;
        }, cancellationToken);

    public Task EnsureBuildStreamAsync(
        string accountId, string region, string groupName, string streamName, string buildUuid, DateTimeOffset created, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            c.Execute(
                $"INSERT INTO logs_groups ({GroupColumns}) VALUES (?, ?, ?, ?, NULL, 'STANDARD', NULL, 0, '{{}}') ON CONFLICT DO NOTHING",
                accountId, region, groupName, created);
            c.Execute(
                "INSERT INTO logs_streams (account_id, region, group_name, name, created_at, build_uuid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                accountId, region, groupName, streamName, created, buildUuid);
        }, cancellationToken);

    public Task<LogStreamRecord?> GetStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle(
            $"SELECT {StreamColumns} FROM logs_streams WHERE {StreamKey}", ReadStream, accountId, region, groupName, streamName)));

    public Task<IReadOnlyList<LogStreamRecord>> ListStreamsAsync(string accountId, string region, string groupName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LogStreamRecord>>(database.Read(c => c.Query(
            $"SELECT {StreamColumns} FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? ORDER BY name", ReadStream, accountId, region, groupName)));

    public Task<LogStreamRecord?> DeleteStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            var stream = c.QuerySingle($"SELECT {StreamColumns} FROM logs_streams WHERE {StreamKey}", ReadStream, accountId, region, groupName, streamName);
            if (stream is not null)
            {
                c.Execute("DELETE FROM logs_events WHERE stream_id = ?", stream.Id);
                c.Execute("DELETE FROM logs_streams WHERE id = ?", stream.Id);
            }

            return stream;
        }, cancellationToken);

    public Task<bool> PutEventsAsync(long streamId, IReadOnlyList<LogEventInput> events, DateTimeOffset ingested, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            var next = c.QuerySingle("SELECT next_index FROM logs_streams WHERE id = ?", r => (long?)r.GetInt64(0), streamId);
            if (next is not { } index)
            {
                return false;
            }

            long bytes = 0;
            foreach (var e in events)
            {
                c.Execute("INSERT INTO logs_events (stream_id, idx, time, ingestion_time, message) VALUES (?, ?, ?, ?, ?)", streamId, index++, e.Timestamp, ingested, e.Message);
                bytes += Encoding.UTF8.GetByteCount(e.Message);
            }

            if (events.Count > 0)
            {
                c.Execute(
                    "UPDATE logs_streams SET next_index = ?, stored_bytes = stored_bytes + ?, last_ingestion_time = ?,"
                    + " first_event_time = min(coalesce(first_event_time, ?), ?), last_event_time = max(coalesce(last_event_time, ?), ?) WHERE id = ?",
                    index, bytes, ingested, events.Min(e => e.Timestamp), events.Min(e => e.Timestamp), events.Max(e => e.Timestamp), events.Max(e => e.Timestamp), streamId);
            }

            return true;
        }, cancellationToken);

    public Task<BuildLogPage> ReadEventsAsync(long streamId, BuildLogRange range, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c =>
        {
            var count = c.QuerySingle("SELECT next_index FROM logs_streams WHERE id = ?", r => r.GetInt64(0), streamId);
            if (range.Limit <= 0)
            {
                return new BuildLogPage([], count, false);
            }

            var order = range.FromEnd ? "DESC" : "ASC";
            var events = c.Query(
                "SELECT idx, time, message FROM logs_events WHERE stream_id = ? AND idx >= ? AND idx < ? AND time >= ? AND time < ?"
                + $" ORDER BY idx {order} LIMIT ?",
                ReadEvent, streamId, range.From, range.To, Millis(range.Since, long.MinValue), Millis(range.Until, long.MaxValue), range.Limit);
            if (range.FromEnd)
            {
                events.Reverse();
            }

            return new BuildLogPage(events, count, false);
        }));

    public Task<BuildLogSearchResult> SearchEventsAsync(long streamId, BuildLogSearch search, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c =>
        {
            var found = new List<BuildLogEvent>();
            var from = search.From;
            while (true)
            {
                var page = c.Query(
                    "SELECT idx, time, message FROM logs_events WHERE stream_id = ? AND idx >= ? AND time >= ? AND time < ? ORDER BY idx LIMIT ?",
                    ReadEvent, streamId, from, Millis(search.Since, long.MinValue), Millis(search.Until, long.MaxValue), SearchPage);
                foreach (var e in page)
                {
                    if (!search.Matches(Encoding.UTF8.GetBytes(e.Message)))
                    {
                        continue;
                    }

                    if (found.Count >= search.Limit)
                    {
                        return new BuildLogSearchResult(found, e.Index);
                    }

                    found.Add(e);
                }

                if (page.Count < SearchPage)
                {
                    return new BuildLogSearchResult(found, null);
                }

                cancellationToken.ThrowIfCancellationRequested();
                from = page[^1].Index + 1;
            }
        }));

    public Task<long> DeleteEventsBeforeAsync(string accountId, string region, string groupName, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            long deleted = 0;
            var streams = c.Query("SELECT id FROM logs_streams WHERE account_id = ? AND region = ? AND group_name = ? AND build_uuid IS NULL AND first_event_time < ?",
                r => r.GetInt64(0), accountId, region, groupName, cutoff);
            foreach (var id in streams)
            {
                deleted += c.Execute("DELETE FROM logs_events WHERE stream_id = ? AND time < ?", id, cutoff);
                c.Execute(
                    "UPDATE logs_streams SET first_event_time = (SELECT min(time) FROM logs_events WHERE stream_id = ?),"
                    + " last_event_time = (SELECT max(time) FROM logs_events WHERE stream_id = ?),"
                    + " stored_bytes = coalesce((SELECT sum(length(CAST(message AS BLOB))) FROM logs_events WHERE stream_id = ?), 0) WHERE id = ?",
                    id, id, id, id);
            }

            return deleted;
        }, cancellationToken);

    private static bool GroupExists(SqliteConnection c, string accountId, string region, string name) =>
        c.QuerySingle("SELECT 1 FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?", r => r.GetInt32(0), accountId, region, name) == 1;

    private static long Millis(DateTimeOffset? time, long otherwise) => time?.ToUnixTimeMilliseconds() ?? otherwise;

    private static BuildLogEvent ReadEvent(SqliteRow row) => new(row.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), row.GetString(2));

    private static LogGroupRecord ReadGroup(SqliteRow row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)),
        row.IsNull(4) ? null : row.GetInt32(4), row.GetString(5), row.GetStringOrNull(6), row.GetBoolean(7), ParseTags(row.GetString(8)));

    private static LogStreamRecord ReadStream(SqliteRow row) => new(
        row.GetInt64(0), row.GetString(1), row.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)), row.GetStringOrNull(4),
        Time(row, 5), Time(row, 6), Time(row, 7), row.GetInt64(8));

    private static DateTimeOffset? Time(SqliteRow row, int column) => row.IsNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));

    private static string TagsJson(IReadOnlyDictionary<string, string> tags)
    {
        var json = new JsonObject();
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json.ToJsonString();
    }

    private static Dictionary<string, string> ParseTags(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
}
