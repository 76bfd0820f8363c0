namespace Cairn.Core.Pipelines;

/// <summary>An action's type as a declaration names it (<c>actionTypeId</c>): category, owner, provider and version.</summary>
public sealed record ActionTypeId(string Category, string Owner, string Provider, string Version)
{
    public override string ToString() => $"{Category}/{Owner}/{Provider}/{Version}";
}
