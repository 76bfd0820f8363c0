namespace Cairn.Application.Builds.Execution;

/// <summary>The build could not assume its service role; the message is CodeBuild's phase context message.</summary>
public sealed class BuildRoleException(string message, string hint) : Exception(message)
{
    /// <summary>How to fix the role, as commands the user can run.</summary>
    public string Hint { get; } = hint;
}
