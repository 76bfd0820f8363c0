namespace Cairn.Core.Buildspec;

public enum OnFailureAction
{
    /// <summary>Stop the build.</summary>
    Abort,

    /// <summary>Go on to the next phase.</summary>
    Continue,

    /// <summary>Run the phase again, up to a count, optionally only when the output matches a regex.</summary>
    Retry,
}
