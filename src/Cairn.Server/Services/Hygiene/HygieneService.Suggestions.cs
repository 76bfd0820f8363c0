using System.Text.Json.Nodes;
using Cairn.Application.Hygiene;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Hygiene;

/// <summary>GetPolicySuggestion: `cairn iam suggest-policy` and the dashboard's least-privilege view.</summary>
internal sealed partial class HygieneService
{
    private async Task<JsonObject> GetPolicySuggestionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, HygieneShapes.GetPolicySuggestion);
        var result = await suggestions.SuggestAsync(
            context, new PolicySuggestionRequest((string?)input["RoleName"], (string?)input["UserName"], (string?)input["Since"]), cancellationToken);
        var json = new JsonObject
        {
            ["PrincipalArn"] = result.PrincipalArn,
            ["PrincipalType"] = result.Kind,
            ["PrincipalName"] = result.Name,
            ["Since"] = result.Since.ToUnixTimeMilliseconds() / 1000.0,
            ["Until"] = result.Until.ToUnixTimeMilliseconds() / 1000.0,
            ["AuditEntries"] = result.AuditEntries,
            ["Used"] = new JsonArray([.. result.Used.Select(c => (JsonNode)CallJson(c))]),
            ["PolicyName"] = result.PolicyName,
            ["CurrentPolicies"] = new JsonArray([.. result.Current.Select(p => (JsonNode)new JsonObject
            {
                ["PolicyName"] = p.Name,
                ["SourceType"] = p.SourceType,
                ["PolicyArn"] = p.Arn,
                ["Actions"] = Strings(p.Actions),
                ["Resources"] = Strings(p.Resources),
                ["Allowed"] = new JsonArray([.. p.Allowed.Select(c => (JsonNode)CallJson(c))]),
            })]),
            ["Commands"] = Strings(result.Commands),
            ["Checks"] = new JsonArray([.. result.Checks.Select(c => (JsonNode)new JsonObject { ["Action"] = c.Action, ["Resource"] = c.Resource, ["Decision"] = c.Decision })]),
            ["NotAllowed"] = result.NotAllowed.Count,
        };
        if (result.PolicyDocument is { } document)
        {
            json["PolicyDocument"] = document;
        }

        return json;
    }

    private static JsonObject CallJson(UsedCall call) => new()
    {
        ["Action"] = call.Action,
        ["Resource"] = call.Resource,
        ["Count"] = call.Count,
        ["LastUsed"] = call.LastUsed.ToUnixTimeMilliseconds() / 1000.0,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
