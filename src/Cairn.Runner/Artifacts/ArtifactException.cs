namespace Cairn.Runner.Artifacts;

/// <summary>UPLOAD_ARTIFACTS failed; the message is shown as the phase context.</summary>
public sealed class ArtifactException(string message) : Exception(message);
