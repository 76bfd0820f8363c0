namespace Cairn.Storage.Builds;

/// <summary>The outcome of deleting one build.</summary>
public enum BuildDeletion
{
    Deleted,
    NotFound,
    NotComplete,
}
