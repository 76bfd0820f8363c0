using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hygiene;

/// <summary>A real server (SQLite, the policy authorizer, the audit log) whose services the hygiene tests call as root or as a user with a policy.</summary>
public abstract class HygieneServer() : InProcessServerFixture("hygiene")
{
    protected Task<JsonObject> CallAsync(string target, string operation, string json, RequestContext? context = null) =>
        Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == target)
            .InvokeAsync(operation, JsonNode.Parse(json)!.AsObject(), context ?? Root, default);

    protected Task<JsonObject> SecretsAsync(string operation, string json, RequestContext? context = null) => CallAsync("CairnSecrets", operation, json, context);

    protected Task<JsonObject> SsmAsync(string operation, string json, RequestContext? context = null) => CallAsync("AmazonSSM", operation, json, context);

    protected Task<JsonObject> PutAsync(string name, string value, string type = "String", bool overwrite = false) =>
        SsmAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = type, ["Overwrite"] = overwrite }.ToJsonString());

    protected static async Task<AwsException> FailsAsync(Func<Task> call) => await Assert.ThrowsAsync<AwsException>(call);
}
