using System.Text;
using System.Text.Json.Nodes;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;
using Npgsql;

namespace Cairn.Storage.Postgres.Logs;

/// <summary>
/// Log groups, streams and stored events in PostgreSQL (schema <c>cairn_logs</c>, <see cref="LogMigrations"/>). Appends to
/// a stream read its next index <c>FOR UPDATE</c>, so two servers' PutLogEvents to one stream number their events in turn;
/// a group's deletion locks it, so no stream is created in a group going away.
/// </summary>
public sealed class PostgresLogStore(PostgresDatabase database) : ILogStore
{
    private const string GroupColumns = "account_id, region, name, created_at, retention_days, log_group_class, kms_key_id, deletion_protection, tags";
    private const string StreamColumns = "id, group_name, name, created_at, build_uuid, first_event_time, last_event_time, last_ingestion_time, stored_bytes";
    private const string GroupKey = "account_id = $1 AND region = $2 AND name = $3";
    private const string StreamKey = "account_id = $1 AND region = $2 AND group_name = $3 AND name = $4";
    private const int SearchPage = 1000;

    public Task<bool> CreateGroupAsync(LogGroupRecord group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return database.WriteAsync(async s => await s.ExecuteAsync(
            $"INSERT INTO cairn_logs.groups ({GroupColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            group.AccountId, group.Region, group.Name, group.Created, group.RetentionInDays, group.LogGroupClass, group.KmsKeyId, group.DeletionProtection,
            TagsJson(group.Tags)).ConfigureAwait(false) > 0, cancellationToken);
    }

    public Task<LogGroupRecord?> GetGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync($"SELECT {GroupColumns} FROM cairn_logs.groups WHERE {GroupKey}", ReadGroup, accountId, region, name), cancellationToken);

    public async Task<IReadOnlyList<LogGroupRecord>> ListGroupsAsync(string accountId, string region, string prefix, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            $"SELECT {GroupColumns} FROM cairn_logs.groups WHERE account_id = $1 AND region = $2 AND starts_with(name, $3) ORDER BY name",
            ReadGroup, accountId, region, prefix), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<LogGroupRecord>> ListGroupsWithRetentionAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            $"SELECT {GroupColumns} FROM cairn_logs.groups WHERE retention_days IS NOT NULL ORDER BY account_id, region, name", ReadGroup), cancellationToken)
            .ConfigureAwait(false);

    public Task<IReadOnlyList<LogStreamRecord>?> DeleteGroupAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<LogStreamRecord>?>(async s =>
        {
            if (await s.QuerySingleAsync($"SELECT 1 FROM cairn_logs.groups WHERE {GroupKey} FOR UPDATE", r => r.GetInt32(0), accountId, region, name).ConfigureAwait(false) != 1)
            {
                return null;
            }

            var streams = await s.QueryAsync(
                $"SELECT {StreamColumns} FROM cairn_logs.streams WHERE account_id = $1 AND region = $2 AND group_name = $3", ReadStream, accountId, region, name)
                .ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_logs.events WHERE stream_id = ANY($1)", streams.Select(stream => stream.Id).ToArray()).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_logs.streams WHERE account_id = $1 AND region = $2 AND group_name = $3", accountId, region, name).ConfigureAwait(false);
            await s.ExecuteAsync($"DELETE FROM cairn_logs.groups WHERE {GroupKey}", accountId, region, name).ConfigureAwait(false);
            return streams;
        }, cancellationToken);

    public Task<bool> SetRetentionAsync(string accountId, string region, string name, int? days, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async s => await s.ExecuteAsync("UPDATE cairn_logs.groups SET retention_days = $4 WHERE " + GroupKey, accountId, region, name, days).ConfigureAwait(false) > 0,
            cancellationToken);

    public Task<IReadOnlyDictionary<string, string>?> UpdateTagsAsync(
        string accountId, string region, string name, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync<IReadOnlyDictionary<string, string>?>(async s =>
        {
            var current = await s.QuerySingleAsync($"SELECT tags FROM cairn_logs.groups WHERE {GroupKey} FOR UPDATE", r => ParseTags(r.GetString(0)), accountId, region, name)
                .ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            await s.ExecuteAsync("UPDATE cairn_logs.groups SET tags = $4 WHERE " + GroupKey, accountId, region, name, TagsJson(changed)).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    public Task<StreamCreation> CreateStreamAsync(string accountId, string region, string groupName, string streamName, DateTimeOffset created, CancellationToken cancellationToken) =>
        database.WriteAsync(async s =>
        {
            if (await s.QuerySingleAsync($"SELECT 1 FROM cairn_logs.groups WHERE {GroupKey} FOR SHARE", r => r.GetInt32(0), accountId, region, groupName).ConfigureAwait(false) != 1)
            {
                return StreamCreation.GroupNotFound;
            }

            return await s.ExecuteAsync(
                "INSERT INTO cairn_logs.streams (account_id, region, group_name, name, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                accountId, region, groupName, streamName, created).ConfigureAwait(false) > 0
                ? StreamCreation.Created
                : StreamCreation.AlreadyExists;
        }, cancellationToken);

    public Task EnsureBuildStreamAsync(
        string accountId, string region, string groupName, string streamName, string buildUuid, DateTimeOffset created, CancellationToken cancellationToken) =>
        database.WriteAsync(async s =>
        {
            await s.ExecuteAsync(
                $"INSERT INTO cairn_logs.groups ({GroupColumns}) VALUES ($1, $2, $3, $4, NULL, 'STANDARD', NULL, false, '{{}}') ON CONFLICT DO NOTHING",
                accountId, region, groupName, created).ConfigureAwait(false);
            await s.ExecuteAsync(
                "INSERT INTO cairn_logs.streams (account_id, region, group_name, name, created_at, build_uuid) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                accountId, region, groupName, streamName, created, buildUuid).ConfigureAwait(false);
        }, cancellationToken);

    public Task<LogStreamRecord?> GetStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(
            $"SELECT {StreamColumns} FROM cairn_logs.streams WHERE {StreamKey}", ReadStream, accountId, region, groupName, streamName), cancellationToken);

    public async Task<IReadOnlyList<LogStreamRecord>> ListStreamsAsync(string accountId, string region, string groupName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            $"SELECT {StreamColumns} FROM cairn_logs.streams WHERE account_id = $1 AND region = $2 AND group_name = $3 ORDER BY name", ReadStream, accountId, region, groupName),
            cancellationToken).ConfigureAwait(false);

    public Task<LogStreamRecord?> DeleteStreamAsync(string accountId, string region, string groupName, string streamName, CancellationToken cancellationToken) =>
        database.WriteAsync(async s =>
        {
            var stream = await s.QuerySingleAsync($"SELECT {StreamColumns} FROM cairn_logs.streams WHERE {StreamKey} FOR UPDATE", ReadStream, accountId, region, groupName, streamName)
                .ConfigureAwait(false);
            if (stream is not null)
            {
                await s.ExecuteAsync("DELETE FROM cairn_logs.events WHERE stream_id = $1", stream.Id).ConfigureAwait(false);
                await s.ExecuteAsync("DELETE FROM cairn_logs.streams WHERE id = $1", stream.Id).ConfigureAwait(false);
            }

            return stream;
        }, cancellationToken);

    public Task<bool> PutEventsAsync(long streamId, IReadOnlyList<LogEventInput> events, DateTimeOffset ingested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return database.WriteAsync(async s =>
        {
            // FOR UPDATE: another server appending to this stream waits, then numbers its events after these.
            var next = await s.QuerySingleAsync("SELECT next_index FROM cairn_logs.streams WHERE id = $1 FOR UPDATE", r => (long?)r.GetInt64(0), streamId).ConfigureAwait(false);
            if (next is not { } index)
            {
                return false;
            }

            if (events.Count == 0)
            {
                return true;
            }

            var indexes = new long[events.Count];
            var times = new long[events.Count];
            var messages = new string[events.Count];
            long bytes = 0;
            for (var i = 0; i < events.Count; i++)
            {
                (indexes[i], times[i], messages[i]) = (index + i, events[i].Timestamp.ToUnixTimeMilliseconds(), events[i].Message);
                bytes += Encoding.UTF8.GetByteCount(events[i].Message);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_logs.events (stream_id, idx, time, ingestion_time, message) SELECT $1, e.idx, e.time, $2, e.message FROM unnest($3, $4, $5) AS e (idx, time, message)",
                streamId, ingested, indexes, times, messages).ConfigureAwait(false);
            await s.ExecuteAsync(
                "UPDATE cairn_logs.streams SET next_index = $1, stored_bytes = stored_bytes + $2, last_ingestion_time = $3,"
                + " first_event_time = LEAST(first_event_time, $4), last_event_time = GREATEST(last_event_time, $5) WHERE id = $6",
                index + events.Count, bytes, ingested, times.Min(), times.Max(), streamId).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<BuildLogPage> ReadEventsAsync(long streamId, BuildLogRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        return database.ReadAsync(async s =>
        {
            var count = await s.QuerySingleAsync("SELECT next_index FROM cairn_logs.streams WHERE id = $1", r => r.GetInt64(0), streamId).ConfigureAwait(false);
            if (range.Limit <= 0)
            {
                return new BuildLogPage([], count, false);
            }

            var order = range.FromEnd ? "DESC" : "ASC";
            var events = await s.QueryAsync(
                "SELECT idx, time, message FROM cairn_logs.events WHERE stream_id = $1 AND idx >= $2 AND idx < $3 AND time >= $4 AND time < $5"
                + $" ORDER BY idx {order} LIMIT $6",
                ReadEvent, streamId, range.From, range.To, Millis(range.Since, long.MinValue), Millis(range.Until, long.MaxValue), (long)range.Limit).ConfigureAwait(false);
            if (range.FromEnd)
            {
                events.Reverse();
            }

            return new BuildLogPage(events, count, false);
        }, cancellationToken);
    }

    public Task<BuildLogSearchResult> SearchEventsAsync(long streamId, BuildLogSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        return database.ReadAsync(async s =>
        {
            var found = new List<BuildLogEvent>();
            var from = search.From;
            while (true)
            {
                var page = await s.QueryAsync(
                    "SELECT idx, time, message FROM cairn_logs.events WHERE stream_id = $1 AND idx >= $2 AND time >= $3 AND time < $4 ORDER BY idx LIMIT $5",
                    ReadEvent, streamId, from, Millis(search.Since, long.MinValue), Millis(search.Until, long.MaxValue), (long)SearchPage).ConfigureAwait(false);
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
        }, cancellationToken);
    }

    public Task<long> DeleteEventsBeforeAsync(string accountId, string region, string groupName, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.WriteAsync(async s =>
        {
            long deleted = 0;
            var streams = await s.QueryAsync(
                "SELECT id FROM cairn_logs.streams WHERE account_id = $1 AND region = $2 AND group_name = $3 AND build_uuid IS NULL AND first_event_time < $4 FOR UPDATE",
                r => r.GetInt64(0), accountId, region, groupName, cutoff).ConfigureAwait(false);
            foreach (var id in streams)
            {
                deleted += await s.ExecuteAsync("DELETE FROM cairn_logs.events WHERE stream_id = $1 AND time < $2", id, cutoff).ConfigureAwait(false);
                await s.ExecuteAsync(
                    "UPDATE cairn_logs.streams SET first_event_time = (SELECT min(time) FROM cairn_logs.events WHERE stream_id = $1),"
                    + " last_event_time = (SELECT max(time) FROM cairn_logs.events WHERE stream_id = $1),"
                    + " stored_bytes = coalesce((SELECT sum(octet_length(message)) FROM cairn_logs.events WHERE stream_id = $1), 0) WHERE id = $1",
                    id).ConfigureAwait(false);
            }

            return deleted;
        }, cancellationToken);

    private static long Millis(DateTimeOffset? time, long otherwise) => time?.ToUnixTimeMilliseconds() ?? otherwise;

    private static BuildLogEvent ReadEvent(NpgsqlDataReader row) => new(row.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), row.GetString(2));

    private static LogGroupRecord ReadGroup(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)),
        row.IsDBNull(4) ? null : row.GetInt32(4), row.GetString(5), row.IsDBNull(6) ? null : row.GetString(6), row.GetBoolean(7), ParseTags(row.GetString(8)));

    private static LogStreamRecord ReadStream(NpgsqlDataReader row) => new(
        row.GetInt64(0), row.GetString(1), row.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(3)), row.IsDBNull(4) ? null : row.GetString(4),
        Time(row, 5), Time(row, 6), Time(row, 7), row.GetInt64(8));

    private static DateTimeOffset? Time(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));

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
