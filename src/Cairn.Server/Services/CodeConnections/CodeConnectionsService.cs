using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Core.Connections;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodeConnections;

/// <summary>
/// Connections and hosts over JSON (the models say 1.0; the body is the same), served twice: as CodeStar connections
/// (com.amazonaws.codestar.connections.CodeStar_connections_20191201, signing name codestar-connections) and as
/// CodeConnections (com.amazonaws.codeconnections.CodeConnections_20231201, signing name codeconnections), both over the
/// one <see cref="ConnectionService"/>. Each operation checks its input against the model's shape and calls the service,
/// which authorizes <c>&lt;service&gt;:&lt;Action&gt;</c>.
/// </summary>
internal sealed class CodeConnectionsService : IJsonService
{
    private const int DefaultPageSize = 50;
    private const string TokenPrefix = "cairn-connections:";

    private readonly ConnectionService _connections;
    private readonly CodeConnectionsShapes _shapes;

    private CodeConnectionsService(ConnectionService connections, string targetPrefix, string signingName)
    {
        _connections = connections;
        TargetPrefix = targetPrefix;
        SigningName = signingName;
        _shapes = new CodeConnectionsShapes(codeStar: signingName == ConnectionArns.CodeStar);
    }

    public static CodeConnectionsService CodeStar(ConnectionService connections) =>
        new(connections, "com.amazonaws.codestar.connections.CodeStar_connections_20191201", ConnectionArns.CodeStar);

    public static CodeConnectionsService CodeConnections(ConnectionService connections) =>
        new(connections, "com.amazonaws.codeconnections.CodeConnections_20231201", ConnectionArns.CodeConnections);

    public string TargetPrefix { get; }

    public string SigningName { get; }

    public IReadOnlyCollection<string> Operations { get; } =
    [
        "CreateHost", "GetHost", "ListHosts", "DeleteHost", "CreateConnection", "GetConnection", "ListConnections", "DeleteConnection",
        "TagResource", "UntagResource", "ListTagsForResource",
    ];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreateHost" => CreateHostAsync(input, context, cancellationToken),
            "GetHost" => GetHostAsync(input, context, cancellationToken),
            "ListHosts" => ListHostsAsync(input, context, cancellationToken),
            "DeleteHost" => DeleteHostAsync(input, context, cancellationToken),
            "CreateConnection" => CreateConnectionAsync(input, context, cancellationToken),
            "GetConnection" => GetConnectionAsync(input, context, cancellationToken),
            "ListConnections" => ListConnectionsAsync(input, context, cancellationToken),
            "DeleteConnection" => DeleteConnectionAsync(input, context, cancellationToken),
            "TagResource" => TagResourceAsync(input, context, cancellationToken),
            "UntagResource" => UntagResourceAsync(input, context, cancellationToken),
            "ListTagsForResource" => ListTagsForResourceAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation(SigningName, operation, Operations),
        };

    private async Task<JsonObject> CreateHostAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, _shapes.CreateHost);
        var tags = ReadTags(input);
        var host = await _connections.CreateHostAsync(
            context, SigningName, input.RequiredString("Name"), input.RequiredString("ProviderType"), input.RequiredString("ProviderEndpoint"), tags, cancellationToken);
        return new JsonObject { ["HostArn"] = host.Arn, ["Tags"] = Tags(host.Tags) };
    }

    private async Task<JsonObject> GetHostAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, _shapes.HostOnly);
        var host = await _connections.GetHostAsync(context, SigningName, input.RequiredString("HostArn"), cancellationToken);
        return new JsonObject { ["Name"] = host.Name, ["Status"] = host.Status, ["ProviderType"] = host.ProviderType, ["ProviderEndpoint"] = host.ProviderEndpoint };
    }

    private async Task<JsonObject> ListHostsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.ListHosts);
        var limit = PageSize(input);
        var hosts = await _connections.ListHostsAsync(context, SigningName, DecodeToken(input.String("NextToken")), limit + 1, cancellationToken);
        var result = new JsonObject
        {
            ["Hosts"] = new JsonArray(hosts.Take(limit).Select(h => (JsonNode)new JsonObject
            {
                ["Name"] = h.Name, ["HostArn"] = h.Arn, ["ProviderType"] = h.ProviderType, ["ProviderEndpoint"] = h.ProviderEndpoint, ["Status"] = h.Status,
            }).ToArray()),
        };
        if (hosts.Count > limit)
        {
            result["NextToken"] = EncodeToken(ConnectionArns.Parse(hosts[limit - 1].Arn)!.Id);
        }

        return result;
    }

    private async Task<JsonObject> DeleteHostAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, _shapes.HostOnly);
        await _connections.DeleteHostAsync(context, SigningName, input.RequiredString("HostArn"), cancellationToken);
        return [];
    }

    private async Task<JsonObject> CreateConnectionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, _shapes.CreateConnection);
        var tags = ReadTags(input);
        var connection = await _connections.CreateConnectionAsync(
            context, SigningName, input.RequiredString("ConnectionName"), input.String("ProviderType"), input.String("HostArn"), tags, cancellationToken);
        return new JsonObject { ["ConnectionArn"] = connection.Arn, ["Tags"] = Tags(connection.Tags) };
    }

    private async Task<JsonObject> GetConnectionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.ConnectionOnly);
        var connection = await _connections.GetConnectionAsync(context, SigningName, input.RequiredString("ConnectionArn"), cancellationToken);
        return new JsonObject { ["Connection"] = Connection(connection) };
    }

    private async Task<JsonObject> ListConnectionsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, _shapes.ListConnections);
        var limit = PageSize(input);
        var connections = await _connections.ListConnectionsAsync(
            context, SigningName, input.String("ProviderTypeFilter"), input.String("HostArnFilter"), DecodeToken(input.String("NextToken")), limit + 1, cancellationToken);
        var result = new JsonObject { ["Connections"] = new JsonArray(connections.Take(limit).Select(c => (JsonNode)Connection(c)).ToArray()) };
        if (connections.Count > limit)
        {
            result["NextToken"] = EncodeToken(ConnectionArns.Parse(connections[limit - 1].Arn)!.Id);
        }

        return result;
    }

    private async Task<JsonObject> DeleteConnectionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.ConnectionOnly);
        await _connections.DeleteConnectionAsync(context, SigningName, input.RequiredString("ConnectionArn"), cancellationToken);
        return [];
    }

    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.TagResource);
        await _connections.TagAsync(context, SigningName, input.RequiredString("ResourceArn"), ReadTags(input), cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.UntagResource);
        await _connections.UntagAsync(context, SigningName, input.RequiredString("ResourceArn"), input.Strings("TagKeys").ToList(), cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListTagsForResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, CodeConnectionsShapes.ListTagsForResource);
        var tags = await _connections.ListTagsAsync(context, SigningName, input.RequiredString("ResourceArn"), cancellationToken);
        return new JsonObject { ["Tags"] = Tags(tags) };
    }

    private static JsonObject Connection(ConnectionRecord connection)
    {
        var json = new JsonObject
        {
            ["ConnectionName"] = connection.Name,
            ["ConnectionArn"] = connection.Arn,
            ["ProviderType"] = connection.ProviderType,
            ["OwnerAccountId"] = connection.AccountId,
            ["ConnectionStatus"] = connection.Status,
        };
        if (connection.HostArn is not null)
        {
            json["HostArn"] = connection.HostArn;
        }

        return json;
    }

    private static List<ConnectionTag> ReadTags(JsonObject input) =>
        input.Objects("Tags").Select(t => new ConnectionTag(t.RequiredString("Key"), t.RequiredString("Value"))).ToList();

    private static JsonArray Tags(IEnumerable<ConnectionTag> tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());

    private static int PageSize(JsonObject input) => input.Int("MaxResults") is { } size and > 0 ? size : DefaultPageSize;

    private static string EncodeToken(string lastId) => PageTokens.Encode(TokenPrefix, lastId);

    /// <summary>The last id of the previous page from a token this service issued; anything else is InvalidInputException.</summary>
    private static string? DecodeToken(string? token) => PageTokens.Decode(TokenPrefix, token, AwsErrors.ConnectionsInvalidNextToken);
}
