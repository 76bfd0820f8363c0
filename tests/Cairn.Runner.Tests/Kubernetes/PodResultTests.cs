using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Builds;
using Cairn.Runner.Builds;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>The result block a pod prints after POST_BUILD, read as the untrusted input it is.</summary>
public sealed class PodResultTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("cairn-pod-result-test-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static byte[] Archive(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            write(tar);
        }

        return buffer.ToArray();
    }

    private static void File(TarWriter tar, string name, string text) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });

    /// <summary>Feeds a files block as the script prints it: declared length, 57-byte chunks in base64, end.</summary>
    private static void Send(PodResult result, byte[] archive, long? declared = null, int? cutAt = null)
    {
        result.Accept("files", (declared ?? archive.Length).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var end = cutAt ?? archive.Length;
        for (var i = 0; i < end; i += 57)
        {
            result.Accept("data", Convert.ToBase64String(archive, i, Math.Min(57, end - i)));
        }

        if (cutAt is null)
        {
            result.Accept("files-end", "");
        }
    }

    [Fact]
    public void A_whole_block_unpacks_its_files_and_gives_the_variables_asked_for()
    {
        var result = new PodResult(["VERSION"], expectsFiles: true, 1 << 20);
        result.Accept("export", "VERSION " + Convert.ToBase64String("1.0\nline two"u8.ToArray()));
        Send(result, Archive(tar => File(tar, "./dist/app.txt", "app\n")));
        result.Complete();

        Assert.True(result.Unpack(_output, out var skipped));
        Assert.Null(result.Problem);
        Assert.Equal(0, skipped);
        Assert.Equal([new ExportedVariable("VERSION", "1.0\nline two")], result.Exports);
        Assert.Equal("app\n", System.IO.File.ReadAllText(Path.Combine(_output, "dist", "app.txt")));
    }

    [Fact]
    public void An_entry_that_climbs_out_of_the_directory_is_refused_and_nothing_lands_outside()
    {
        var result = new PodResult([], expectsFiles: true, 1 << 20);
        Send(result, Archive(tar => File(tar, "dist/../../escaped.txt", "x")));
        result.Complete();

        Assert.False(result.Unpack(_output, out _));
        Assert.Equal("an archive entry 'dist/../../escaped.txt' outside the source directory", result.Problem);
        Assert.False(System.IO.File.Exists(Path.Combine(Path.GetDirectoryName(_output)!, "escaped.txt")));
    }

    [Fact]
    public void Links_are_not_followed_or_made_only_counted()
    {
        var result = new PodResult([], expectsFiles: true, 1 << 20);
        Send(result, Archive(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "dist/passwd") { LinkName = "/etc/passwd" });
            File(tar, "dist/app.txt", "app\n");
        }));
        result.Complete();

        Assert.True(result.Unpack(_output, out var skipped));
        Assert.Equal(1, skipped);
        Assert.False(Path.Exists(Path.Combine(_output, "dist", "passwd")));
        Assert.True(System.IO.File.Exists(Path.Combine(_output, "dist", "app.txt")));
    }

    [Fact]
    public void An_archive_that_is_not_a_gzipped_tar_or_cannot_be_unpacked_is_a_problem_not_an_exception()
    {
        var garbage = new PodResult([], expectsFiles: true, 1 << 20);
        Send(garbage, Encoding.UTF8.GetBytes("not gzip at all"));
        var clash = new PodResult([], expectsFiles: true, 1 << 20);
        Send(clash, Archive(tar =>
        {
            File(tar, "a", "a file");
            File(tar, "a/b", "under a file");
        }));

        Assert.False(garbage.Unpack(_output, out _));
        Assert.StartsWith("the files are not a gzipped tar: ", garbage.Problem, StringComparison.Ordinal);
        Assert.False(clash.Unpack(_output, out _));
        Assert.StartsWith("the files cannot be unpacked: ", clash.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_cut_short_by_the_log_is_a_problem_not_a_partial_result()
    {
        var archive = Archive(tar => File(tar, "a.txt", new string('a', 10_000)));
        var result = new PodResult([], expectsFiles: true, 1 << 20);
        Send(result, archive, cutAt: 57);
        result.Complete();

        Assert.Equal("the log ended inside the files: it was cut", result.Problem);
    }

    [Theory]
    [InlineData("export", "OTHER aGk=", "an exported variable 'OTHER' that was not asked for, or twice")]
    [InlineData("export", "VERSION !!!", "'!!!' is not base64")]
    [InlineData("files", "99999999", "a files block of '99999999' bytes (the cap is 1048576)")]
    [InlineData("data", "aGk=", "an unexpected 'data' line")]
    [InlineData("files-end", "", "an unexpected 'files-end' line")]
    public void A_malformed_or_forged_line_makes_the_block_unusable(string verb, string rest, string problem)
    {
        var result = new PodResult(["VERSION"], expectsFiles: true, 1 << 20);

        result.Accept(verb, rest);

        Assert.Equal(problem, result.Problem);
    }

    [Fact]
    public void More_data_than_declared_or_a_second_block_is_refused()
    {
        var archive = Archive(tar => File(tar, "a.txt", "a"));
        var overrun = new PodResult([], expectsFiles: true, 1 << 20);
        Send(overrun, archive, declared: 10);
        var twice = new PodResult([], expectsFiles: true, 1 << 20);
        Send(twice, archive);
        twice.Accept("files", "1");

        Assert.Equal("more data than the 10 bytes declared", overrun.Problem);
        Assert.Equal("an unexpected 'files' line", twice.Problem);
    }

    [Fact]
    public void A_missing_block_is_a_problem_when_something_was_asked_for()
    {
        var result = new PodResult(["VERSION"], expectsFiles: false, 1 << 20);

        result.Complete();

        Assert.Equal("the log ended before the block", result.Problem);
    }
}
