using System.CommandLine;
using Cairn.Cli.Commands;

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
