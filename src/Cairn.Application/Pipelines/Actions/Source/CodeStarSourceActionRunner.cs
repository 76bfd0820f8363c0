using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Core.Connections;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines;
using Cairn.Runner.Sources;
using Cairn.Storage.Artifacts;

namespace Cairn.Application.Pipelines.Actions.Source;

/// <summary>
/// Source/AWS/CodeStarSourceConnection/1: clones the connection's repository at the branch's head (or the commit the
/// execution pins), stores it as the output artifact (CODE_ZIP: the tree without .git; CODEBUILD_CLONE_REF: with it)
/// and exports AWS's variables: CommitId, BranchName, CommitMessage, AuthorDate, ConnectionArn, FullRepositoryName. The
/// pipeline's role must be allowed codestar-connections:UseConnection (or codeconnections:UseConnection) on the connection.
/// </summary>
public sealed class CodeStarSourceActionRunner(ConnectionRepositories repositories, IAuthorizer authorizer, IArtifactStore artifacts) : IPipelineActionRunner
{
    public const string Provider = "CodeStarSourceConnection";
    private const string Failed = "JobFailed";

    public bool CanRun(ActionTypeId type) => type is { Category: "Source", Owner: "AWS", Provider: Provider };

    public async Task<ActionOutcome> RunAsync(ActionRun run, IActionProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var configuration = new SourceConfiguration(run.Configuration);
        if (configuration.Missing() is { } missing)
        {
            return ActionOutcome.Failure(Failed, $"The action's configuration has no {missing}; a CodeStarSourceConnection action needs ConnectionArn, FullRepositoryId and BranchName.");
        }

        if (configuration.Format is not ("CODE_ZIP" or "CODEBUILD_CLONE_REF"))
        {
            return ActionOutcome.Failure(Failed, $"OutputArtifactFormat '{configuration.Format}' is not one of CODE_ZIP and CODEBUILD_CLONE_REF.");
        }

        if (run.SourceRevision is { RevisionType: not "COMMIT_ID" } revision)
        {
            return ActionOutcome.Failure(Failed, $"A CodeStarSourceConnection action can only be pinned to a COMMIT_ID, not to {revision.RevisionType}; pass sourceRevisions with revisionType COMMIT_ID.");
        }

        if (await UseConnectionDenialAsync(run, configuration.ConnectionArn, cancellationToken) is { } denied)
        {
            return ActionOutcome.Failure(denied.Code, denied.Message);
        }

        var repository = await repositories.ResolveAsync(configuration.ConnectionArn, configuration.Repository, cancellationToken);
        if (repository.Url is not { } url)
        {
            return ActionOutcome.Failure(Failed, repository.Failure!);
        }

        var shown = RepositoryUrls.Redact(url);
        var refs = await GitRemote.ListRefsAsync(url, cancellationToken);
        if (refs.Error is not null)
        {
            return ActionOutcome.Failure(Failed, $"Could not read repository {configuration.Repository} at {shown}: {refs.Error}. Check that it exists and that the Cairn host can reach it (git ls-remote {shown}).");
        }

        if (!refs.Refs.TryGetValue("refs/heads/" + configuration.Branch, out var head))
        {
            var branches = refs.Refs.Keys.Where(r => r.StartsWith("refs/heads/", StringComparison.Ordinal)).Select(r => r["refs/heads/".Length..]).Order(StringComparer.Ordinal).ToList();
            return ActionOutcome.Failure(Failed,
                $"The branch '{configuration.Branch}' does not exist in {configuration.Repository} ({(branches.Count == 0 ? "it has no branches: push one first" : "its branches are: " + string.Join(", ", branches.Take(20)))}). Set BranchName to one of them.");
        }

        var commit = run.SourceRevision?.RevisionValue ?? head;
        var workspace = Directory.CreateTempSubdirectory("cairn-source-").FullName;
        try
        {
            var tree = Path.Combine(workspace, "src");
            progress.Log($"Fetching {configuration.Repository} at {(run.SourceRevision is null ? configuration.Branch + " (" + head + ")" : commit)}");
            try
            {
                await SourceFetcher.FetchAsync(new SourceRequest("GITHUB", url, commit), tree, line => progress.Log(line.Replace(url, shown, StringComparison.Ordinal)), cancellationToken);
            }
            catch (SourceFetchException error)
            {
                return ActionOutcome.Failure(Failed, run.SourceRevision is null
                    ? $"Could not clone {configuration.Repository} at {commit}: {error.Message}. {error.Hint?.Replace(url, shown, StringComparison.Ordinal)}"
                    : $"The commit {commit} that the execution pins is not in {configuration.Repository}: {error.Message}. Start the execution with a commit of the repository (git log shows them).");
            }

            var details = await GitRemote.HeadCommitAsync(tree, cancellationToken);
            if (details is null)
            {
                return ActionOutcome.Failure(Failed, $"The clone of {configuration.Repository} has no commit at {commit}.");
            }

            if (configuration.Format == "CODE_ZIP")
            {
                Directory.Delete(Path.Combine(tree, ".git"), recursive: true);
            }

            var outputs = new List<ActionArtifact>();
            foreach (var name in run.OutputArtifactNames.Take(1))
            {
                outputs.Add(new ActionArtifact(name, await artifacts.PutDirectoryAsync(run.ArtifactStore, run.ArtifactKeyPrefix, tree, cancellationToken)));
            }

            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["CommitId"] = details.Id,
                ["BranchName"] = configuration.Branch,
                ["CommitMessage"] = details.Message,
                ["AuthorDate"] = details.AuthorDate,
                ["ConnectionArn"] = configuration.ConnectionArn,
                ["FullRepositoryName"] = configuration.Repository,
            };
            var summary = new JsonObject { ["ProviderType"] = repository.Connection!.ProviderType, ["CommitMessage"] = details.Message }.ToJsonString();
            var created = DateTimeOffset.TryParse(details.AuthorDate, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) ? date : (DateTimeOffset?)null;
            var revisionUrl = repository.Connection.ProviderType == "GitHub" && repository.Connection.HostArn is null
                ? $"https://github.com/{configuration.Repository.Trim('/')}/commit/{details.Id}"
                : null;
            return ActionOutcome.Success(
                details.Message.Split('\n')[0], outputs, variables, externalExecutionId: details.Id, revision: new ArtifactRevision(details.Id, summary, revisionUrl, created));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>
    /// The role needs UseConnection under either service's prefix (AWS accepts both for either ARN form); the denial of the
    /// ARN's own prefix is the one reported, with the statement that grants it.
    /// </summary>
    private async Task<AwsException?> UseConnectionDenialAsync(ActionRun run, string connectionArn, CancellationToken cancellationToken)
    {
        var own = ConnectionArns.Parse(connectionArn)?.Service ?? ConnectionArns.CodeStar;
        var other = own == ConnectionArns.CodeStar ? ConnectionArns.CodeConnections : ConnectionArns.CodeStar;
        AwsException? first = null;
        foreach (var service in new[] { own, other })
        {
            try
            {
                await authorizer.AuthorizeAsync(run.Role, service + ":UseConnection", connectionArn, cancellationToken);
                return null;
            }
            catch (AwsException denied) when (denied.IsAccessDenied)
            {
                first ??= denied;
            }
        }

        return AwsErrors.UseConnectionDenied(first!.Message, connectionArn, run.Role.Principal.Arn);
    }

    private sealed class SourceConfiguration(IReadOnlyDictionary<string, string> values)
    {
        public string ConnectionArn => values.GetValueOrDefault("ConnectionArn", string.Empty);

        public string Repository => values.GetValueOrDefault("FullRepositoryId", string.Empty);

        public string Branch => values.GetValueOrDefault("BranchName", string.Empty);

        public string Format => values.GetValueOrDefault("OutputArtifactFormat", "CODE_ZIP");

        public string? Missing() =>
            new[] { ("ConnectionArn", ConnectionArn), ("FullRepositoryId", Repository), ("BranchName", Branch) }.FirstOrDefault(p => p.Item2.Length == 0).Item1;
    }
}
