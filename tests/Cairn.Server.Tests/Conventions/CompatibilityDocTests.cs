using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Conventions;

/// <summary>
/// docs/compatibility.md stays true to the server: every operation a service dispatches is a row of its service's table
/// marked served or partly (the tables come from the AWS models by scripts/compat-tables.py), and an operation a service
/// does not serve is answered with its name.
/// </summary>
public sealed class CompatibilityDocTests : IAsyncLifetime
{
    /// <summary>The doc's section for each service's signing name; Cairn's own API (cairn) has none.</summary>
    private static readonly Dictionary<string, string> Sections = new(StringComparer.Ordinal)
    {
        ["iam"] = "IAM", ["kms"] = "KMS", ["ssm"] = "SSM", ["sts"] = "STS", ["secretsmanager"] = "Secrets Manager",
        ["logs"] = "CloudWatch Logs", ["codebuild"] = "CodeBuild", ["codepipeline"] = "CodePipeline",
        ["codestar-connections"] = "CodeStar connections and CodeConnections", ["codeconnections"] = "CodeStar connections and CodeConnections",
    };

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-compat-doc-").FullName;
    private CairnServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await CairnServer.StartAsync(new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = "AKIACOMPATDOCROOT001", RootSecretAccessKey = "x" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public void Every_dispatched_operation_is_listed_as_served_or_partly_in_its_services_table()
    {
        var rows = StatusRows();
        var served = _server.Services.GetServices<IJsonService>().Select(s => (s.SigningName, s.Operations))
            .Concat(_server.Services.GetServices<IQueryService>().Select(s => (s.SigningName, s.Operations)))
            .Where(s => s.SigningName != "cairn");

        var wrong = served
            .SelectMany(s => s.Operations.Select(o => (Section: Sections.GetValueOrDefault(s.SigningName, s.SigningName), Operation: o)))
            .Where(o => rows.GetValueOrDefault((o.Section, o.Operation)) is not ("served" or "partly"))
            .Select(o => $"{o.Section}: {o.Operation} is {rows.GetValueOrDefault((o.Section, o.Operation)) ?? "missing"}")
            .Distinct()
            .ToList();

        Assert.True(wrong.Count == 0, "docs/compatibility.md does not list these dispatched operations as served or partly "
            + "(run scripts/compat-tables.py, then write what differs):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task An_operation_a_service_does_not_serve_is_answered_with_its_name()
    {
        var context = new RequestContext(Principal.Root(CairnServerOptions.DefaultAccountId), "us-east-1", "r", "127.0.0.1", DateTimeOffset.UtcNow, null);
        foreach (var service in _server.Services.GetServices<IJsonService>())
        {
            var error = await Assert.ThrowsAsync<AwsException>(() => service.InvokeAsync("DescribeNothingAtAll", new JsonObject(), context, default));
            Assert.Contains("DescribeNothingAtAll", error.Message, StringComparison.Ordinal);
        }

        foreach (var service in _server.Services.GetServices<IQueryService>())
        {
            var error = await Assert.ThrowsAsync<AwsException>(() => service.InvokeAsync("DescribeNothingAtAll", new Dictionary<string, string>(), context, default));
            Assert.Contains("DescribeNothingAtAll", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>(section, operation) to the status column, from every table row of the doc.</summary>
    private static Dictionary<(string Section, string Operation), string> StatusRows()
    {
        var rows = new Dictionary<(string, string), string>();
        var section = string.Empty;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "docs", "compatibility.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (line.StartsWith("| ", StringComparison.Ordinal) && line.Split('|') is { Length: >= 4 } cells)
            {
                foreach (var operation in cells[1].Split(',', StringSplitOptions.TrimEntries))
                {
                    rows.TryAdd((section, operation), cells[2].Trim());
                }
            }
        }

        return rows;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
