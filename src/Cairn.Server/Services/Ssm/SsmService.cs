using Cairn.Application.Parameters;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Core.Parameters;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Parameters;

namespace Cairn.Server.Services.Ssm;

/// <summary>
/// Parameter Store, spoken as AmazonSSM over JSON 1.1. Every operation: check the input against the model's shape,
/// authorize <c>ssm:&lt;Action&gt;</c> on the parameter's ARN in the request's region, then act. Operation families live
/// in the partial files next to this one.
/// </summary>
internal sealed partial class SsmService(
    IParameterRepository repository,
    ParameterService parameters,
    ParameterCrypto crypto,
    IAuthorizer authorizer,
    TimeProvider time,
    Application.Secrets.SecretService? secrets = null) : IJsonService
{
    private readonly IParameterRepository _repository = repository;
    private readonly ParameterService _parameters = parameters;
    private readonly ParameterCrypto _crypto = crypto;
    private readonly IAuthorizer _authorizer = authorizer;
    private readonly TimeProvider _time = time;

    /// <summary>Secrets Manager, for /aws/reference/secretsmanager/ names; null where the host serves none (tests of SSM alone).</summary>
    private readonly Application.Secrets.SecretService? _secrets = secrets;

    public string TargetPrefix => "AmazonSSM";

    public string SigningName => "ssm";

    public IReadOnlyCollection<string> Operations { get; } = ["PutParameter", "GetParameter", "GetParameters", "GetParametersByPath", "GetParameterHistory", "DeleteParameter", "DeleteParameters", "DescribeParameters", "LabelParameterVersion", "UnlabelParameterVersion", "AddTagsToResource", "RemoveTagsFromResource", "ListTagsForResource"];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "PutParameter" => PutParameterAsync(input, context, cancellationToken),
            "GetParameter" => GetParameterAsync(input, context, cancellationToken),
            "GetParameters" => GetParametersAsync(input, context, cancellationToken),
            "GetParametersByPath" => GetParametersByPathAsync(input, context, cancellationToken),
            "GetParameterHistory" => GetParameterHistoryAsync(input, context, cancellationToken),
            "DeleteParameter" => DeleteParameterAsync(input, context, cancellationToken),
            "DeleteParameters" => DeleteParametersAsync(input, context, cancellationToken),
            "DescribeParameters" => DescribeParametersAsync(input, context, cancellationToken),
            "LabelParameterVersion" => LabelParameterVersionAsync(input, context, cancellationToken),
            "UnlabelParameterVersion" => UnlabelParameterVersionAsync(input, context, cancellationToken),
            "AddTagsToResource" => AddTagsToResourceAsync(input, context, cancellationToken),
            "RemoveTagsFromResource" => RemoveTagsFromResourceAsync(input, context, cancellationToken),
            "ListTagsForResource" => ListTagsForResourceAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("SSM", operation, Operations),
        };

    private static ParameterScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private static void Validate(JsonObject input, StructureShape shape) => InputValidator.Validate(input, shape);

    /// <summary>GetParameters and DeleteParameters: AWS's own wording for more than ten names (checked before the rest).</summary>
    private static void CheckNameCount(JsonObject input)
    {
        if (input["Names"] is JsonArray { Count: > 10 } names && names.All(n => n?.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            var list = string.Join(", ", names.Select(n => n!.GetValue<string>()));
            throw AwsErrors.Validation(
                $"1 validation error detected: Value '[{list}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10.");
        }
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        _authorizer.AuthorizeAsync(context, action, resourceArn, cancellationToken);

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Finds what a reference names, or throws ParameterNotFound / ParameterVersionNotFound as GetParameter does.</summary>
    private Task<(ParameterSnapshot Parameter, ParameterVersion Version)> ResolveAsync(
        ParameterScope scope, ParameterReference reference, CancellationToken cancellationToken) =>
        _parameters.ResolveAsync(scope, reference, cancellationToken);

    private Task<string> ValueForAsync(RequestContext context, ParameterScope scope, string key, ParameterVersion version,
        bool withDecryption, CancellationToken cancellationToken) =>
        _crypto.ValueForAsync(context, scope, key, version, withDecryption, cancellationToken);
}
