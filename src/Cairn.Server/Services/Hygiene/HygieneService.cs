using System.Text.Json.Nodes;
using Cairn.Application.Hygiene;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters.Naming;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Hygiene;

/// <summary>
/// Cairn's secret-hygiene API over JSON 1.1 (<c>X-Amz-Target: CairnSecrets.&lt;Operation&gt;</c>, signed for the
/// service <c>cairn</c>): the naming rules and the report `cairn secrets` and the dashboard read. An adapter over
/// <see cref="NamingRuleService"/>, <see cref="SecretsReportService"/> and <see cref="PolicySuggestionService"/>
/// (`cairn iam suggest-policy`), which authorize.
/// </summary>
internal sealed partial class HygieneService(NamingRuleService naming, SecretsReportService report, PolicySuggestionService suggestions) : IJsonService
{
    public string TargetPrefix => "CairnSecrets";

    public string SigningName => "cairn";

    public IReadOnlyCollection<string> Operations { get; } = ["PutNamingRule", "GetNamingRules", "DeleteNamingRule", "GetSecretsReport", "GetPolicySuggestion"];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "PutNamingRule" => PutNamingRuleAsync(input, context, cancellationToken),
            "GetNamingRules" => GetNamingRulesAsync(input, context, cancellationToken),
            "DeleteNamingRule" => DeleteNamingRuleAsync(input, context, cancellationToken),
            "GetSecretsReport" => GetSecretsReportAsync(input, context, cancellationToken),
            "GetPolicySuggestion" => GetPolicySuggestionAsync(input, context, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("CairnSecrets", operation, Operations),
        };

    private async Task<JsonObject> PutNamingRuleAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, HygieneShapes.PutNamingRule);
        var rule = await naming.PutAsync(
            context, (string)input["Pattern"]!, (string)input["Mode"]!, (string?)input["PathPrefix"], (string?)input["Example"], cancellationToken);
        return new JsonObject { ["Rule"] = RuleJson(rule) };
    }

    private async Task<JsonObject> GetNamingRulesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, HygieneShapes.GetNamingRules);
        var rules = await naming.ListAsync(context, cancellationToken);
        return new JsonObject { ["Rules"] = new JsonArray([.. rules.Select(r => (JsonNode)RuleJson(r))]) };
    }

    private async Task<JsonObject> DeleteNamingRuleAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, HygieneShapes.DeleteNamingRule);
        await naming.DeleteAsync(context, (string?)input["PathPrefix"], cancellationToken);
        return [];
    }

    private async Task<JsonObject> GetSecretsReportAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, HygieneShapes.GetSecretsReport);
        var defaults = new SecretsReportOptions();
        var options = new SecretsReportOptions(
            (int?)input["MaxAgeDays"] ?? defaults.MaxAgeDays, (int?)input["UnusedDays"] ?? defaults.UnusedDays, (int?)input["ExpiringDays"] ?? defaults.ExpiringDays);
        var result = await report.ReportAsync(context, options, cancellationToken);
        return new JsonObject
        {
            ["GeneratedAt"] = result.GeneratedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["AccountId"] = result.AccountId,
            ["Region"] = result.Region,
            ["ParametersScanned"] = result.ParametersScanned,
            ["ProjectsScanned"] = result.ProjectsScanned,
            ["Rules"] = new JsonArray([.. HygieneRules.All.Select(r => (JsonNode)new JsonObject { ["Id"] = r.Id, ["Name"] = r.Name, ["Description"] = r.Description })]),
            ["Findings"] = new JsonArray([.. result.Findings.Select(f => (JsonNode)FindingJson(f))]),
        };
    }

    private static JsonObject FindingJson(HygieneFinding finding)
    {
        var json = new JsonObject
        {
            ["RuleId"] = finding.RuleId,
            ["Severity"] = finding.Severity,
            ["Subject"] = finding.Subject,
            ["Message"] = finding.Message,
            ["Evidence"] = finding.Evidence,
            ["Fix"] = new JsonArray([.. finding.Fix.Select(c => (JsonNode)JsonValue.Create(c))]),
        };
        if (finding.Note is { } note)
        {
            json["Note"] = note;
        }

        if (finding.File is { } file)
        {
            json["File"] = file;
            json["Line"] = finding.Line;
        }

        return json;
    }

    private static JsonObject RuleJson(NamingRule rule) => new()
    {
        ["PathPrefix"] = rule.PathPrefix,
        ["Pattern"] = rule.Pattern,
        ["Mode"] = rule.Mode.Text(),
        ["Example"] = rule.Example,
        ["LastModifiedDate"] = rule.Updated.ToUnixTimeMilliseconds() / 1000.0,
        ["LastModifiedUser"] = rule.UpdatedBy,
    };
}
