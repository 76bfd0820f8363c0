using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>Waiting for a pipeline execution through the aws CLI, whichever server fixture runs it.</summary>
internal static class PipelineExecutionPolling
{
    /// <summary>Polls get-pipeline-execution (up to 30 s) until the execution has <paramref name="status"/>; the execution then.</summary>
    public static async Task<JsonNode> UntilStatusAsync(Func<string[], Task<ProcessResult>> aws, string name, string executionId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var execution = (await aws(["codepipeline", "get-pipeline-execution", "--pipeline-name", name, "--pipeline-execution-id", executionId])).Ok()["pipelineExecution"]!;
            if (execution["status"]!.GetValue<string>() == status)
            {
                return execution;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the execution never became {status}: {execution.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
