using System.Text;
using Cairn.Application.Pipelines.Actions.Deploy;
using Cairn.Core.Errors;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

public sealed class ImageDefinitionTests
{
    private static IReadOnlyList<ImageDefinition> Parse(string json) => ImageDefinition.Parse("imagedefinitions.json", Encoding.UTF8.GetBytes(json));

    private static string Failure(string json) => Assert.Throws<AwsException>(() => Parse(json)).Message;

    [Fact]
    public void Entries_are_read_with_their_names_and_image_uris()
    {
        var entries = Parse("""[{"name":"web","imageUri":"127.0.0.1:5000/web:2"},{"name":"worker","imageUri":"127.0.0.1:5000/worker:2"}]""");

        Assert.Equal([new ImageDefinition("web", "127.0.0.1:5000/web:2"), new ImageDefinition("worker", "127.0.0.1:5000/worker:2")], entries);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var entries = ImageDefinition.Parse("imagedefinitions.json", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""[{"name":"web","imageUri":"web:1"}]""")]);

        Assert.Equal("web:1", Assert.Single(entries).ImageUri);
    }

    [Fact]
    public void Invalid_json_fails_with_AWS_text_and_the_line()
    {
        var message = Failure("[{\"name\":\"web\",\n\"imageUri\":}]");

        Assert.StartsWith("The image definition file imagedefinitions.json contains invalid JSON format: ", message, StringComparison.Ordinal);
        Assert.Contains("(line 2)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_object_instead_of_an_array_says_to_wrap_it()
    {
        Assert.Contains("it is a single object, not an array; wrap it in [ ]", Failure("""{"name":"web","imageUri":"web:1"}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", "the array is empty")]
    [InlineData("""["web:1"]""", "entry 0 is not an object")]
    [InlineData("""[{"name":"web"}]""", "entry 0 has no \"imageUri\"")]
    [InlineData("""[{"name":"web","imageURI":"web:1"}]""", "entry 0 has \"imageURI\"; the key is \"imageUri\" (the case matters)")]
    [InlineData("""[{"name":"","imageUri":"web:1"}]""", "entry 0's \"name\" must be a non-empty string")]
    [InlineData("""[{"name":"web","imageUri":3}]""", "entry 0's \"imageUri\" must be a non-empty string")]
    public void A_malformed_entry_is_named(string json, string problem)
    {
        Assert.Contains(problem, Failure(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused()
    {
        var error = Assert.Throws<AwsException>(() => ImageDefinition.Parse("imagedefinitions.json", [0x5B, 0xFF, 0xFE, 0x5D]));

        Assert.Contains("it is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_entry_is_used_whatever_its_name()
    {
        var entry = ImageDefinition.Match([new ImageDefinition("flask-app", "app:2")], "imagedefinitions.json", "web", "web");

        Assert.Equal("app:2", entry.ImageUri);
    }

    [Fact]
    public void With_several_entries_the_one_named_like_the_container_is_used()
    {
        IReadOnlyList<ImageDefinition> entries = [new("worker", "worker:2"), new("web", "web:2")];

        Assert.Equal("web:2", ImageDefinition.Match(entries, "imagedefinitions.json", "shop_web", "web").ImageUri);
        Assert.Equal("worker:2", ImageDefinition.Match(entries, "imagedefinitions.json", "worker", "worker").ImageUri);
    }

    [Fact]
    public void With_several_entries_and_none_matching_the_entries_are_listed()
    {
        IReadOnlyList<ImageDefinition> entries = [new("worker", "worker:2"), new("api", "api:2")];

        var error = Assert.Throws<AwsException>(() => ImageDefinition.Match(entries, "imagedefinitions.json", "shop_web", "web"));

        Assert.Equal("JobFailed", error.Code);
        Assert.Contains("has no entry named 'web' for service shop_web: its entries are 'worker', 'api'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_names_what_the_artifact_holds()
    {
        var root = Directory.CreateTempSubdirectory("cairn-imagedefs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "imagedefinition.json"), "[]");

            var error = await Assert.ThrowsAsync<AwsException>(() => ImageDefinition.ReadAsync(root, "imagedefinitions.json", "BuildArtifact", CancellationToken.None));

            Assert.StartsWith("Exception while trying to read the image artifact file from the artifact: BuildArtifact. The file imagedefinitions.json is not in it (it holds: imagedefinition.json)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_name_that_leads_out_of_the_artifact_is_not_read()
    {
        var root = Directory.CreateTempSubdirectory("cairn-imagedefs-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<AwsException>(() => ImageDefinition.ReadAsync(root, "../../etc/passwd", "BuildArtifact", CancellationToken.None));

            Assert.Contains("The file ../../etc/passwd is not in it (the artifact is empty)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_over_100_KB_is_refused()
    {
        var root = Directory.CreateTempSubdirectory("cairn-imagedefs-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "imagedefinitions.json"), new string(' ', ImageDefinition.MaxBytes + 1));

            var error = await Assert.ThrowsAsync<AwsException>(() => ImageDefinition.ReadAsync(root, "imagedefinitions.json", "BuildArtifact", CancellationToken.None));

            Assert.Contains("is 102401 bytes; the limit is 100 KB", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
