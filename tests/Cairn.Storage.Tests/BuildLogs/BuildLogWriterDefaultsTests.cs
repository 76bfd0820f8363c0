using Cairn.Storage.BuildLogs;

namespace Cairn.Storage.Tests.BuildLogs;

/// <summary>A writer that only has lines (a store written before blocks existed) still takes a block: a line at a time.</summary>
public sealed class BuildLogWriterDefaultsTests
{
    [Fact]
    public async Task A_block_reaches_a_writer_without_AppendBlock_as_its_lines_each_at_the_blocks_time()
    {
        await using var writer = new LinesOnlyWriter();
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var count = ((IBuildLogWriter)writer).AppendBlock("a\n\nc ✓\nd"u8, time);

        Assert.Equal(4, count);
        Assert.Equal([("a", time), ("", time), ("c ✓", time), ("d", time)], writer.Lines);
    }

    private sealed class LinesOnlyWriter : IBuildLogWriter
    {
        public List<(string, DateTimeOffset)> Lines { get; } = [];

        public long Count => Lines.Count;

        public long Append(string line, DateTimeOffset timestamp) => AppendBatched(line, timestamp);

        public long AppendBatched(string line, DateTimeOffset timestamp)
        {
            Lines.Add((line, timestamp));
            return Count;
        }

        public void Flush()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
