using System.Reflection;
using Cairn.Application.Builds;
using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Storage.Builds;

namespace Cairn.Server.Tests.Conventions;

/// <summary>
/// The layers (docs/adr/0003-layering.md): Core knows nothing of Cairn's other assemblies; Storage's interfaces and the
/// Runner know only Core; the deploy mechanics (Cairn.Deploy) know Core and the Runner; the application layer knows Core, Storage's interfaces and the Runner, and never the web host,
/// ASP.NET or a storage implementation, so an agent process can run builds without the server assembly; the dashboard
/// knows the application layer (and what it exposes of Core, Storage's interfaces and the Runner), never the server.
/// </summary>
public sealed class LayeringConventionTests
{
    private static readonly Assembly Core = typeof(BuildRecord).Assembly;
    private static readonly Assembly Storage = typeof(IBuildStore).Assembly;
    private static readonly Assembly Runner = typeof(BuildExecutor).Assembly;
    private static readonly Assembly Application = typeof(BuildService).Assembly;
    private static readonly Assembly Deploy = typeof(Cairn.Deploy.Swarm.SwarmClient).Assembly;
    private static readonly Assembly Dashboard = typeof(Cairn.Dashboard.Hosting.DashboardModule).Assembly;

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Cairn.Core", [] },
        { "Cairn.Storage", ["Cairn.Core"] },
        { "Cairn.Runner", ["Cairn.Core"] },
        { "Cairn.Deploy", ["Cairn.Core", "Cairn.Runner"] },
        { "Cairn.Application", ["Cairn.Core", "Cairn.Storage", "Cairn.Runner", "Cairn.Deploy"] },
        { "Cairn.Dashboard", ["Cairn.Core", "Cairn.Storage", "Cairn.Runner", "Cairn.Application"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_layer_references_only_the_layers_below_it(string assembly, string[] allowed)
    {
        var references = CairnReferences(Load(assembly));

        Assert.True(references.All(allowed.Contains), $"{assembly} references {string.Join(", ", references.Except(allowed))}; it may reference only {string.Join(", ", allowed)}");
    }

    [Fact]
    public void The_application_layer_uses_neither_ASP_NET_nor_SQL()
    {
        var forbidden = Application.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("SQLitePCL", StringComparison.Ordinal)
                || name.StartsWith("Npgsql", StringComparison.Ordinal)
                || name == "Cairn.Server")
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void The_build_workers_are_in_the_application_layer_so_an_agent_runs_builds_without_the_server()
    {
        Type[] workers = [typeof(Cairn.Application.Builds.Queue.BuildWorkerPool), typeof(Cairn.Application.Builds.Execution.BuildOrchestrator),
            typeof(Cairn.Application.Builds.Execution.BuildLifecycle), typeof(Cairn.Application.Builds.Execution.HostSandboxes)];
        var server = typeof(Cairn.Server.Hosting.CairnServer).Assembly;
        var left = server.GetTypes().Where(t => t.Namespace?.EndsWith(".CodeBuild.Execution", StringComparison.Ordinal) == true).Select(t => t.FullName).ToList();

        Assert.All(workers, worker => Assert.Same(Application, worker.Assembly));
        Assert.Empty(left);
    }

    [Fact]
    public void No_application_type_mentions_a_server_type()
    {
        var server = typeof(Cairn.Server.Hosting.CairnServer).Assembly;
        var mentions = Application.GetTypes()
            .SelectMany(type => Signatures(type).Select(used => (type, used)))
            .Where(pair => pair.used.Assembly == server)
            .Select(pair => $"{pair.type.FullName} -> {pair.used.FullName}")
            .Distinct()
            .ToList();

        Assert.Empty(mentions);
    }

    private static Assembly Load(string name) => name switch
    {
        "Cairn.Core" => Core,
        "Cairn.Storage" => Storage,
        "Cairn.Runner" => Runner,
        "Cairn.Deploy" => Deploy,
        "Cairn.Dashboard" => Dashboard,
        _ => Application,
    };

    private static List<string> CairnReferences(Assembly assembly) => assembly.GetReferencedAssemblies()
        .Select(a => a.Name!)
        .Where(name => name.StartsWith("Cairn.", StringComparison.Ordinal))
        .ToList();

    /// <summary>Every type a type's members are declared with: base, interfaces, fields, properties, method and constructor signatures.</summary>
    private static IEnumerable<Type> Signatures(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var used = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            used.Add(baseType);
        }

        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetFields(All).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                used.Add(info.ReturnType);
            }
        }

        return used.SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            return Unwrap(type.GetElementType()!);
        }

        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Append(type.GetGenericTypeDefinition()) : [type];
    }
}
