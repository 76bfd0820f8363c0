namespace Cairn.Runner.Builds;

/// <summary>Removing a build's working directories, where what cannot be removed is left, not an error.</summary>
public static class DirectoryTrees
{
    /// <summary>
    /// Deletes <paramref name="directory"/> and everything under it, if it is there; false when some of it could not be
    /// removed (files a container wrote as another user, a file still open): it stays for the directory's own cleanup.
    /// </summary>
    public static bool TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
