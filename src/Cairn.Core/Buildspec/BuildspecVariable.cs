namespace Cairn.Core.Buildspec;

/// <summary>
/// An env.variables entry. <see cref="Value"/> is taken literally (<c>$PATH:/x</c> is not expanded); numbers and
/// booleans are kept as written, as CodeBuild does. <see cref="References"/> are the <c>{{resolve:...}}</c> parts
/// of the value that the runner resolves.
/// </summary>
public sealed record BuildspecVariable(string Name, string Value, SourceLocation Location)
{
    // Computed, not stored, so that `with { Value = ... }` cannot leave stale references behind.
    public IReadOnlyList<DynamicReference> References => DynamicReference.FindAll(Value);

    /// <summary>The value with every reference replaced by what <paramref name="resolve"/> returns.</summary>
    public string Resolve(Func<DynamicReference, string> resolve) => DynamicReference.Substitute(Value, References, resolve);
}
