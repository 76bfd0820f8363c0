using System.Text.Json.Nodes;
using Cairn.Core.Pipelines.Conditions;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>Stage conditions in CreatePipeline's structure rules, ListRuleTypes, and the DeploymentWindow cron on its own.</summary>
public sealed class ConditionStructureTests : CodePipelineFixture
{
    private static JsonObject WithCondition(string member, string? result, string provider, JsonObject configuration)
    {
        var pipeline = Story();
        pipeline["pipelineType"] = "V2";
        var condition = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["name"] = "Check",
                ["ruleTypeId"] = new JsonObject { ["category"] = "Rule", ["owner"] = "AWS", ["provider"] = provider, ["version"] = "1" },
                ["configuration"] = configuration,
            }),
        };
        if (result is not null)
        {
            condition["result"] = result;
        }

        Stage(pipeline, "Build")[member] = new JsonObject { ["conditions"] = new JsonArray(condition) };
        return pipeline;
    }

    private static JsonObject Variable(string op = "EQ", string value = "main") =>
        new() { ["Variable"] = "#{SourceVariables.BranchName}", ["Value"] = value, ["Operator"] = op };

    [Fact]
    public async Task Conditions_with_the_rules_Cairn_runs_and_the_ones_it_does_not_are_accepted()
    {
        await CreateAsync(WithCondition("beforeEntry", "SKIP", "DeploymentWindow", new JsonObject { ["Cron"] = "* * 9-16 ? * MON-FRI *", ["TimeZone"] = "Europe/Paris" }));
        var pipeline = WithCondition("onSuccess", "ROLLBACK", "LambdaInvoke", new JsonObject { ["FunctionName"] = "probe" });
        pipeline["name"] = "lambda-rule";

        var created = await CreateAsync(pipeline);

        Assert.Equal("LambdaInvoke", created["pipeline"]!["stages"]![1]!["onSuccess"]!["conditions"]![0]!["rules"]![0]!["ruleTypeId"]!["provider"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("beforeEntry", "ROLLBACK", "the beforeEntry condition's result ROLLBACK is not allowed there; beforeEntry takes FAIL or SKIP")]
    [InlineData("onSuccess", "SKIP", "the onSuccess condition's result SKIP is not allowed there; onSuccess takes ROLLBACK or FAIL")]
    public async Task A_result_the_kind_does_not_take_is_InvalidStructureException(string member, string result, string message)
    {
        var error = await CreateFailsAsync(WithCondition(member, result, "VariableCheck", Variable()));

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Equal($"Stage 'Build': {message}.", error.Message);
    }

    [Fact]
    public async Task An_unknown_rule_provider_is_InvalidStructureException_with_did_you_mean()
    {
        var error = await CreateFailsAsync(WithCondition("beforeEntry", "FAIL", "VariablesCheck", Variable()));

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Contains("Provider: 'VariablesCheck'", error.Message);
        Assert.Contains("Did you mean 'VariableCheck'?", error.Message);
    }

    [Fact]
    public async Task A_rule_missing_a_required_key_or_with_an_unknown_one_is_InvalidStructureException()
    {
        var missing = Variable();
        missing.Remove("Operator");
        var error = await CreateFailsAsync(WithCondition("beforeEntry", "FAIL", "VariableCheck", missing));
        Assert.Equal("Stage 'Build', rule 'Check' (VariableCheck) is missing required configuration 'Operator'; VariableCheck takes Variable, Value, Operator.", error.Message);

        var unknown = Variable();
        unknown["Operater"] = "EQ";
        error = await CreateFailsAsync(WithCondition("beforeEntry", "FAIL", "VariableCheck", unknown));
        Assert.Contains("has configuration 'Operater', which VariableCheck does not take (did you mean 'Operator'?)", error.Message);

        error = await CreateFailsAsync(WithCondition("beforeEntry", "FAIL", "LambdaInvoke", new JsonObject()));
        Assert.Contains("is missing required configuration 'FunctionName'", error.Message);
    }

    [Theory]
    [InlineData("Operator", "GT", "Operator 'GT' is not one of EQ, NE, CONTAINS, MATCHES.")]
    [InlineData("Cron", "0 9 * * 1-5", "the Cron '0 9 * * 1-5' has 5 fields")]
    [InlineData("Cron", "* * 25 ? * * *", "has '25' in the hours field, which takes 0-23")]
    [InlineData("Cron", "* * 9 1 * MON *", "sets both day-of-month ('1') and day-of-week ('MON')")]
    [InlineData("TimeZone", "Mars/Olympus", "TimeZone 'Mars/Olympus' is not a time zone")]
    public async Task Bad_VariableCheck_and_DeploymentWindow_values_are_InvalidStructureException(string key, string value, string message)
    {
        var (provider, configuration) = key == "Operator"
            ? ("VariableCheck", Variable())
            : ("DeploymentWindow", new JsonObject { ["Cron"] = "* * 9-16 ? * MON-FRI *" });
        configuration[key] = value;

        var error = await CreateFailsAsync(WithCondition("beforeEntry", "FAIL", provider, configuration));

        Assert.Equal("InvalidStructureException", error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Conditions_need_a_V2_pipeline()
    {
        var pipeline = WithCondition("beforeEntry", "FAIL", "VariableCheck", Variable());
        pipeline["pipelineType"] = "V1";
        pipeline.Remove("variables");
        pipeline.Remove("triggers");
        pipeline.Remove("executionMode");

        var error = await CreateFailsAsync(pipeline);

        Assert.Contains("is of type V1, and stage conditions", error.Message);
    }

    [Fact]
    public async Task ListRuleTypes_lists_AWSs_rule_types_with_their_configuration_authorized_on_star()
    {
        var types = (await CallAsync("ListRuleTypes", new JsonObject()))["ruleTypes"]!.AsArray();

        Assert.Equal(["CloudWatchAlarm", "CodeBuild", "Commands", "DeploymentWindow", "LambdaInvoke", "VariableCheck"],
            types.Select(t => t!["id"]!["provider"]!.GetValue<string>()));
        var window = types.Single(t => t!["id"]!["provider"]!.GetValue<string>() == "DeploymentWindow")!;
        Assert.Equal("Rule", window["id"]!["category"]!.GetValue<string>());
        Assert.Equal([("Cron", true), ("TimeZone", false)],
            window["ruleConfigurationProperties"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(), p["required"]!.GetValue<bool>())));
        Assert.Contains(Authorizer.Calls, c => c.Action == "codepipeline:ListRuleTypes" && c.Resource == "*");
    }

    [Theory]
    [InlineData("* * 9-16 ? * MON-FRI *", "2030-01-01T09:00", true)]
    [InlineData("* * 9-16 ? * MON-FRI *", "2030-01-01T17:00", false)]
    [InlineData("* * 9-16 ? * MON-FRI *", "2030-01-05T10:00", false)]
    [InlineData("* 0/15 * ? * * *", "2030-01-01T10:30", true)]
    [InlineData("* 0/15 * ? * * *", "2030-01-01T10:31", false)]
    [InlineData("* * * L * ? *", "2030-02-28T12:00", true)]
    [InlineData("* * * L-1 * ? *", "2030-01-30T12:00", true)]
    [InlineData("* * * 15W * ? *", "2030-06-14T12:00", true)]
    [InlineData("* * * ? * 6L *", "2030-01-25T12:00", true)]
    [InlineData("* * * ? * 6L *", "2030-01-18T12:00", false)]
    [InlineData("* * * ? * 2#1 *", "2030-01-07T12:00", true)]
    [InlineData("* * * ? * 2#1 *", "2030-01-14T12:00", false)]
    [InlineData("* * * ? JAN-MAR * 2030", "2030-03-31T23:59", true)]
    [InlineData("* * * ? JAN-MAR * 2031", "2030-03-31T23:59", false)]
    public void The_cron_matches_as_Quartz_reads_it(string cron, string at, bool open)
    {
        var parsed = DeploymentWindowCron.TryParse(cron, out var error);

        Assert.Null(error);
        Assert.Equal(open, parsed!.IsOpen(DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_next_opening_is_read_in_the_rules_time_zone()
    {
        var cron = DeploymentWindowCron.TryParse("* * 9-16 ? * MON-FRI *", out _)!;
        var paris = DeploymentWindowCron.Zone("Europe/Paris")!;
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero), cron.NextOpen(now, paris, TimeSpan.FromDays(1)));
        Assert.Null(cron.NextOpen(now, paris, TimeSpan.FromHours(7)));
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"), DeploymentWindowCron.Zone("PST"));
    }
}
