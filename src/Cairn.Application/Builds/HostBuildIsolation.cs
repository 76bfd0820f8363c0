namespace Cairn.Application.Builds;

/// <summary>How host builds are isolated from the server.</summary>
public enum HostBuildIsolation
{
    /// <summary>A bubblewrap sandbox: no server files, processes or user.</summary>
    Sandbox,

    /// <summary>No isolation: the build can read whatever the server can.</summary>
    None,
}
