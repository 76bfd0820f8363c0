using Cairn.Core.Keys;
using Cairn.Server.Hosting;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// Finds the master key: CAIRN_MASTER_KEY (<see cref="CairnServerOptions.MasterKey"/>) when set, else
/// <c>&lt;data&gt;/master.key</c> (base64, created 0600 on first start).
/// </summary>
public static class MasterKeyFile
{
    public const string FileName = "master.key";

    public static MasterKey LoadOrCreate(CairnServerOptions options)
    {
        if (options.MasterKey is not null)
        {
            return MasterKey.FromBase64(options.MasterKey, "CAIRN_MASTER_KEY");
        }

        var path = Path.Combine(options.DataDirectory, FileName);
        if (File.Exists(path))
        {
            return Read(path);
        }

        using var created = MasterKey.Generate();
        try
        {
            SecureFile.WriteAllText(path, created.ToBase64() + "\n");
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: both must use the one on disk.
        }

        return Read(path);
    }

    /// <summary>True when the file's mode lets anyone but its owner read or write it.</summary>
    public static bool IsExposed(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;

    private static MasterKey Read(string path) => MasterKey.FromBase64(File.ReadAllText(path), path);
}
