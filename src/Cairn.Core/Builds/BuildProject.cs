namespace Cairn.Core.Builds;

/// <summary>A build project: its name, where it lives, its settings, and when it was created and last changed.</summary>
public sealed record BuildProject(BuildScope Scope, string Name, ProjectSettings Settings, DateTimeOffset Created, DateTimeOffset LastModified)
{
    public string Arn => Scope.ProjectArn(Name);
}
