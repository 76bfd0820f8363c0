using System.CommandLine;
using Cairn.Cli.Commands;

// Every command but the long-running ones (serve, agent) starts faster without code generated at run time: Regex's
// compiled patterns (YamlDotNet's, at every buildspec parse), System.Text.Json's emitted accessors and the container's
// emitted factories are interpreted instead, with no Reflection.Emit and no JIT of what it emits. A one-command
// `cairn build`: -6 ms wall, -12 ms CPU (docs/performance.md, "Start-up: ... run-time code generation"). Set before
// anything reads RuntimeFeature.IsDynamicCodeSupported, which is read once.
if (args is not (["serve", ..] or ["agent", ..]))
{
    AppContext.SetSwitch("System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported", false);
}

Cairn.Cli.Builds.StartupTrace.Mark("main");
var root = new RootCommand("Cairn: a self-hosted build service that speaks AWS's APIs (SSM Parameter Store, IAM, STS, KMS, CodeBuild).");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(LintCommand.Create());
root.Subcommands.Add(BuildCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(PipelineCommand.Create());
root.Subcommands.Add(SecretsCommand.Create());
root.Subcommands.Add(IamCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(AgentsCommand.Create());
return await root.Parse(args).InvokeAsync();
