using System.Runtime.CompilerServices;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>Pipelines made through the real API (aws CLI as root) and run by the real engine with <see cref="TestActionRunner"/>.</summary>
public static class PipelineSeeds
{
    public const string Role = "dashboard-pipeline";

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static readonly ConditionalWeakTable<DashboardServer, Task> Roles = [];

    /// <summary>Source (branch <paramref name="branch"/>) → Build (CodeBuild project "app") → Approve (Manual); returns the id of the execution its creation started.</summary>
    public static async Task<string> CreateAsync(DashboardServer server, string name, string branch = "main")
    {
        Task role;
        lock (Roles)
        {
            role = Roles.GetValue(server, s => s.AwsAsync("iam", "create-role", "--role-name", Role, "--assume-role-policy-document", Trust));
        }

        await role;
        var file = Path.Combine(server.DataDirectory, name + ".json");
        await File.WriteAllTextAsync(file, $$$"""
            {"pipeline":{"name":"{{{name}}}","roleArn":"arn:aws:iam::{{{DashboardServer.Account}}}:role/{{{Role}}}","artifactStore":{"type":"S3","location":"artifacts"},
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:{{{DashboardServer.Account}}}:connection/c","FullRepositoryId":"team/app","BranchName":"{{{branch}}}"},
               "outputArtifacts":[{"name":"Src"}]}]},
              {"name":"Build","actions":[{"name":"Compile","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},
               "configuration":{"ProjectName":"app"},"inputArtifacts":[{"name":"Src"}]}]},
              {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}]}]}}
            """);
        await server.AwsAsync("codepipeline", "create-pipeline", "--cli-input-json", "file://" + file);
        return (await Store(server).ListAsync(Scope, name, 0, 1, default)).Single().ExecutionId;
    }

    public static PipelineScope Scope { get; } = new(DashboardServer.Account, DashboardServer.Region);

    public static IPipelineExecutionStore Store(DashboardServer server) => server.Server.Services.GetRequiredService<IPipelineExecutionStore>();

    /// <summary>Waits (up to 30 s) until the execution satisfies <paramref name="done"/>; returns it.</summary>
    public static async Task<PipelineExecution> UntilAsync(DashboardServer server, string name, string executionId, Func<PipelineExecution, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var execution = await Store(server).GetAsync(Scope, name, executionId, default);
            if (execution is not null && done(execution))
            {
                return execution;
            }

            Assert.True(DateTime.UtcNow < deadline, $"execution {executionId} never got there: {execution?.Status} {string.Join(", ", execution?.Actions.Select(a => $"{a.ActionName}={a.Status}") ?? [])}");
            await Task.Delay(100);
        }
    }

    /// <summary>Until the Manual approval of the execution waits for a decision.</summary>
    public static Task<PipelineExecution> UntilApprovalWaitsAsync(DashboardServer server, string name, string executionId) =>
        UntilAsync(server, name, executionId, e => e.Actions.Any(a => a.IsApproval && a.Status == ExecutionStatuses.InProgress && a.Token is not null));
}
