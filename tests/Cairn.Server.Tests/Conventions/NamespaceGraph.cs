using System.Reflection;

namespace Cairn.Server.Tests.Conventions;

/// <summary>
/// Which namespaces of an assembly name which others, read by reflection from each type's signatures (base type,
/// interfaces, fields, properties, events, constructor and method parameters and returns) and from its method bodies
/// (<see cref="MethodBodyTypes"/>), with generic arguments and element types.
/// </summary>
internal sealed class NamespaceGraph
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Namespace to the namespaces it depends on, both within <paramref name="prefix"/>.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges => _edges;

    /// <param name="nodeOf">The node a type counts in: its namespace, or another name (null keeps the namespace).</param>
    public static NamespaceGraph Of(Assembly assembly, string prefix, Func<Type, string?>? nodeOf = null)
    {
        string? Node(Type type) => type.Namespace is { } ns && InScope(ns, prefix) ? nodeOf?.Invoke(type) ?? ns : null;

        var graph = new NamespaceGraph();
        foreach (var type in assembly.GetTypes())
        {
            if (Node(type) is not { } from)
            {
                continue;
            }

            foreach (var used in Signatures(type))
            {
                foreach (var named in Flatten(used))
                {
                    if (Node(named) is { } to && !string.Equals(from, to, StringComparison.Ordinal))
                    {
                        graph.Add(from, to);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The strongly connected groups of two or more namespaces (Tarjan), each sorted.</summary>
    public List<List<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next) && index.TryGetValue(next, out var nextIndex))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] != index[node])
            {
                return;
            }

            var group = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                group.Add(member);
            }
            while (!string.Equals(member, node, StringComparison.Ordinal));

            if (group.Count > 1)
            {
                group.Sort(StringComparer.Ordinal);
                result.Add(group);
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    private static bool InScope(string ns, string prefix) =>
        string.Equals(ns, prefix, StringComparison.Ordinal) || ns.StartsWith(prefix + ".", StringComparison.Ordinal);

    private void Add(string from, string to)
    {
        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new SortedSet<string>(StringComparer.Ordinal);
        }

        targets.Add(to);
    }

    private static IEnumerable<Type> Signatures(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var implemented in type.GetInterfaces())
        {
            yield return implemented;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            if (@event.EventHandlerType is { } handler)
            {
                yield return handler;
            }
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo { ReturnType: var returned })
            {
                yield return returned;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var named in MethodBodyTypes.Of(method))
            {
                yield return named;
            }
        }
    }

    /// <summary>A type with its generic arguments and element types (<c>Task&lt;List&lt;X&gt;&gt;</c> names X).</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Flatten(element))
            {
                yield return inner;
            }

            yield break;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                foreach (var inner in Flatten(argument))
                {
                    yield return inner;
                }
            }
        }
    }
}
