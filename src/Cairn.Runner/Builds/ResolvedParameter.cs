namespace Cairn.Runner.Builds;

/// <summary>A parameter value as GetParameters returned it. <see cref="Name"/> is the name or selector asked for.</summary>
public sealed record ResolvedParameter(string Name, string Value, string Type)
{
    public bool IsSecureString => Type == "SecureString";
}
