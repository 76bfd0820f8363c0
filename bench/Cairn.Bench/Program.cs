using BenchmarkDotNet.Running;
using Cairn.Bench.Load;

// `load [options]`: the HTTP load generator (see bench/README.md); `coldstart`: how soon a fresh server is at full speed; `codebuild`, `agents`, `pipeline`, `logs`, `livelog`, `dashboard`, `paramlist`, `writes`, `audit`: their benches. Anything else goes to BenchmarkDotNet's switcher.
if (args.Length > 0 && args[0] == "load")
{
    return await LoadCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "coldstart")
{
    return await ColdStartBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "codebuild")
{
    return await Cairn.Bench.CodeBuild.CodeBuildBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "agents")
{
    return await Cairn.Bench.CodeBuild.AgentBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pipeline")
{
    return await Cairn.Bench.Pipeline.PipelineBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "logs")
{
    return await Cairn.Bench.Logs.LogReadBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "livelog")
{
    return await Cairn.Bench.Logs.LiveLogBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "dashboard")
{
    return await Cairn.Bench.Logs.DashboardPagesBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "paramlist")
{
    return await Cairn.Bench.Parameters.ParameterListBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "writes")
{
    return await Cairn.Bench.Parameters.ParameterWriteBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "audit")
{
    return await Cairn.Bench.Audit.AuditQueryBench.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(LoadCommand).Assembly).Run(args);
return 0;
