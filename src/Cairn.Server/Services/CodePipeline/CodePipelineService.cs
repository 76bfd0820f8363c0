using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Application.Pipelines;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>
/// CodePipeline, spoken as CodePipeline_20150709 over JSON 1.1: pipeline definitions (the engine that runs them is the
/// next slice). Every operation checks its input against the model's shape and calls the application's
/// <see cref="PipelineService"/>, which authorizes, checks the structure and stores. Operation families live in the
/// partial files next to this one.
/// </summary>
internal sealed partial class CodePipelineService(
    PipelineService pipelines, PipelineExecutionService? executions = null, ILogger<CodePipelineService>? logger = null) : IJsonService
{
    private const int DefaultPageSize = 100;
    private const string TokenPrefix = "cairn:";

    public string TargetPrefix => "CodePipeline_20150709";

    public string SigningName => "codepipeline";

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "CreatePipeline", "GetPipeline", "UpdatePipeline", "DeletePipeline", "ListPipelines", "ListActionTypes",
        "TagResource", "UntagResource", "ListTagsForResource", .. ExecutionOperations,
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreatePipeline" => CreatePipelineAsync(input, context, cancellationToken),
            "GetPipeline" => GetPipelineAsync(input, context, cancellationToken),
            "UpdatePipeline" => UpdatePipelineAsync(input, context, cancellationToken),
            "DeletePipeline" => DeletePipelineAsync(input, context, cancellationToken),
            "ListPipelines" => ListPipelinesAsync(input, context, cancellationToken),
            "ListActionTypes" => ListActionTypesAsync(input, context, cancellationToken),
            "TagResource" => TagResourceAsync(input, context, cancellationToken),
            "UntagResource" => UntagResourceAsync(input, context, cancellationToken),
            "ListTagsForResource" => ListTagsForResourceAsync(input, context, cancellationToken),
            _ => InvokeExecutionsAsync(operation, input, context, cancellationToken),
        };

    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape);

    private static string? Text(JsonObject input, string member) => input[member]?.GetValue<string>();

    private static int? Number(JsonObject input, string member) => input[member]?.GetValue<int>();

    private static string EncodeToken(string position) => PageTokens.Encode(TokenPrefix, position);

    /// <summary>What a token this service issued carries; anything else is InvalidNextTokenException.</summary>
    private static string? DecodeToken(string? token) => PageTokens.Decode(TokenPrefix, token, AwsErrors.CodePipelineInvalidNextToken);

    private static int DecodeOffset(string? token) =>
        DecodeToken(token) is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : throw AwsErrors.CodePipelineInvalidNextToken()
            : 0;

    private static string EncodeOffset(int offset) => EncodeToken(offset.ToString(CultureInfo.InvariantCulture));
}
