using Cairn.Server.Hosting;

namespace Cairn.Server.Tests.Conventions;

/// <summary>Cairn.Server's namespaces form a layering: no namespace depends, through others, on itself.</summary>
public sealed class NamespaceCycleTests
{
    /// <summary>
    /// The node the wiring counts in. CairnServer, CairnModules and each subsystem's *Module name every type they register
    /// and nothing but the host names them back, so they sit above every namespace, wherever their files live.
    /// </summary>
    private const string CompositionRoot = "(composition root)";

    /// <summary>Namespaces whose cycles among themselves are known and owned elsewhere, with the reason (none today).</summary>
    private static readonly string[][] Allowed = [];

    [Fact]
    public void Cairn_server_namespaces_have_no_cycles()
    {
        var graph = NamespaceGraph.Of(typeof(CairnServer).Assembly, "Cairn.Server", type => IsWiring(type) ? CompositionRoot : null);
        var cycles = graph.Cycles()
            .Where(cycle => !Allowed.Any(allowed => cycle.All(allowed.Contains)))
            .Select(cycle => string.Join(", ", cycle.SelectMany(from => graph.Edges[from].Where(cycle.Contains).Select(to => $"{from} -> {to}"))))
            .ToList();

        Assert.True(cycles.Count == 0, "Namespace cycles (their edges): " + string.Join("; ", cycles));
    }

    [Fact]
    public void The_wiring_is_found_in_the_composition_root()
    {
        Assert.True(IsWiring(typeof(CairnServer)));
        Assert.True(IsWiring(typeof(Services.Kms.KmsModule)));
        Assert.False(IsWiring(typeof(CairnServerOptions)));
    }

    [Fact]
    public void The_graph_finds_a_cycle_between_two_namespaces()
    {
        var graph = NamespaceGraph.Of(typeof(NamespaceCycleTests).Assembly, "Cairn.Server.Tests.Conventions.Sample");

        Assert.Equal([["Cairn.Server.Tests.Conventions.Sample.A", "Cairn.Server.Tests.Conventions.Sample.B"]], graph.Cycles());
    }

    /// <summary>CairnServer, CairnModules, a static *Module class, or a type nested in one (its lambdas).</summary>
    private static bool IsWiring(Type type)
    {
        for (var current = type; current is not null; current = current.DeclaringType)
        {
            if (current == typeof(CairnServer) || string.Equals(current.Name, "CairnModules", StringComparison.Ordinal)
                || (current is { IsAbstract: true, IsSealed: true } && current.Name.EndsWith("Module", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
