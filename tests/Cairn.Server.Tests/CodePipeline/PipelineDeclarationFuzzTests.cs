using System.Text.Json.Nodes;
using Cairn.Core.Errors;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>
/// The story pipeline changed at random places (members removed or nulled, values of other types, names reused,
/// elements duplicated), through CreatePipeline and UpdatePipeline: every answer is a pipeline or an AWS error a
/// client may get (never a crash, never a 500). Fixed seeds.
/// </summary>
public sealed class PipelineDeclarationFuzzTests : CodePipelineFixture
{
    private static readonly JsonNode?[] Values =
    [
        null, "", "Source", "Build", "SourceArtifact", "BuildArtifact", "CodeBuild", "V1", "V2", "QUEUED", "aws:x", new string('x', 300),
        0, -1, 1, 999, 1000, 1L << 40, 1.5, true, new JsonArray(), new JsonObject(),
    ];

    [Theory]
    [InlineData(3)]
    [InlineData(29)]
    [InlineData(4099)]
    public async Task Randomly_changed_declarations_get_a_pipeline_or_an_AWS_error(int seed)
    {
        var random = new Random(seed);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await CreateAsync(Story());
        for (var i = 0; i < 300; i++)
        {
            var input = StoryInput();
            for (var changes = 1 + random.Next(3); changes > 0; changes--)
            {
                Mutate(input, random);
            }

            foreach (var operation in new[] { "CreatePipeline", "UpdatePipeline" })
            {
                try
                {
                    var attempt = input.DeepClone().AsObject();
                    if (operation == "UpdatePipeline")
                    {
                        attempt.Remove("tags");
                    }

                    var answer = await CallAsync(operation, attempt);
                    codes.Add("ok");
                    if (operation == "CreatePipeline")
                    {
                        await CallAsync("DeletePipeline", new JsonObject { ["name"] = answer["pipeline"]!["name"]!.DeepClone() });
                    }
                }
                catch (AwsException error)
                {
                    codes.Add(error.Code);
                    Assert.True(error.HttpStatus < 500, $"seed {seed}, iteration {i}, {operation}: {error.Code} {error.Message}\n{input.ToJsonString()}");
                }
                catch (Exception crash)
                {
                    Assert.Fail($"seed {seed}, iteration {i}, {operation} crashed: {crash}\n{input.ToJsonString()}");
                }
            }
        }

        // The changes reach past the shapes into the structure rules, and some still make a valid pipeline.
        Assert.Contains("ok", codes);
        Assert.Contains("ValidationException", codes);
        Assert.True(codes.Count >= 5, string.Join(", ", codes));
    }

    private static void Mutate(JsonObject root, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var parent = target.Parent;
        if (parent is null)
        {
            return;
        }

        var replacement = Values[random.Next(Values.Length)]?.DeepClone();
        switch (random.Next(4), parent)
        {
            case (0, JsonObject owner):
                owner.Remove(target.GetPropertyName());
                break;
            case (0, JsonArray list):
                list.Remove(target);
                break;
            case (1, JsonArray list):
                list.Add(target.DeepClone());
                break;
            case (_, JsonObject owner):
                owner[target.GetPropertyName()] = replacement;
                break;
            case (_, JsonArray list):
                list[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            Collect(child, nodes);
        }
    }
}
