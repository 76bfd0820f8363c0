using System.Text;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Shell;

public sealed class CommandOutputSplitterTests
{
    private static readonly byte[] Marker = "cairn-end-abcdef0123456789abcdef0123456789"u8.ToArray();

    [Fact]
    public async Task Output_up_to_the_marker_goes_to_the_sink_and_the_status_ends_the_command_at_any_split()
    {
        var stream = Encoding.ASCII.GetBytes("line one\npartial cairn-end-abc" + Encoding.ASCII.GetString(Marker) + " 42\nlate output\n");
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var splitter = new CommandOutputSplitter();
            using var sink = new OutputCapture();
            var status = splitter.Begin(Marker, sink);

            splitter.Feed(stream.AsSpan(0, cut));
            splitter.Feed(stream.AsSpan(cut));

            Assert.Equal(42, await status);
            Assert.Equal("line one\npartial cairn-end-abclate output\n", sink.Text);
        }
    }

    [Fact]
    public async Task Byte_by_byte_feeding_finds_the_marker()
    {
        var splitter = new CommandOutputSplitter();
        using var sink = new OutputCapture();
        var status = splitter.Begin(Marker, sink);

        foreach (var value in Encoding.ASCII.GetBytes("abc" + Encoding.ASCII.GetString(Marker) + " 0\n"))
        {
            splitter.Feed([value]);
        }

        Assert.Equal(0, await status);
        Assert.Equal("abc", sink.Text);
    }

    [Fact]
    public void Output_before_the_first_command_is_given_to_it()
    {
        var splitter = new CommandOutputSplitter();
        splitter.Feed("start-up warning\n"u8);
        using var sink = new OutputCapture();

        _ = splitter.Begin(Marker, sink);

        Assert.Equal("start-up warning\n", sink.Text);
    }

    [Fact]
    public void A_held_back_marker_prefix_is_output_at_end_of_file()
    {
        var splitter = new CommandOutputSplitter();
        using var sink = new OutputCapture();
        var status = splitter.Begin(Marker, sink);

        splitter.Feed("text cairn-e"u8);
        splitter.Complete();

        Assert.Equal("text cairn-e", sink.Text);
        Assert.False(status.IsCompleted);
    }
}
