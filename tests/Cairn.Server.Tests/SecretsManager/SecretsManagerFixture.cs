using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>A real server (SQLite, KMS, IAM) on a fresh data directory; Secrets Manager called in-process as root or as IAM users.</summary>
public abstract class SecretsManagerFixture() : InProcessServerFixture("secrets")
{
    protected Task<JsonObject> CallAsync(string operation, string json, RequestContext? context = null) =>
        Secrets.InvokeAsync(operation, JsonNode.Parse(json)!.AsObject(), context ?? Root, CancellationToken.None);

    protected async Task<AwsException> FailAsync(string operation, string json, RequestContext? context = null) =>
        await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, json, context));

    protected IJsonService Secrets => Server.Services.GetServices<IJsonService>().Single(s => s.TargetPrefix == "secretsmanager");

    protected static string Allow(string actions, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"{{resource}}"}]}""";
}
