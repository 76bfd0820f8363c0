using Cairn.Core.Keys;
using Cairn.Server.Hosting;
using Cairn.Storage.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// At start, proves the master key is the one this database's keys were wrapped with (a check value stored on first
/// start), so a lost or swapped master key stops the server with a clear message instead of failing every decrypt.
/// </summary>
internal sealed partial class MasterKeyCheck(
    MasterKey masterKey, IKeyStore store, CairnServerOptions options, TimeProvider time, ILogger<MasterKeyCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.DataDirectory, MasterKeyFile.FileName);
        if (options.MasterKey is null && File.Exists(file) && MasterKeyFile.IsExposed(file))
        {
            LogExposed(logger, file);
        }

        var stored = await store.GetOrAddMasterKeyCheckAsync(masterKey.CreateCheckValue(), time.GetUtcNow(), cancellationToken);
        if (!masterKey.Matches(stored))
        {
            var source = options.MasterKey is not null ? "CAIRN_MASTER_KEY" : file;
            throw new MasterKeyMismatchException(
                $"The master key from {source} is not the one the keys in {options.DataDirectory} were encrypted with, so no SecureString "
                + "could be decrypted. Restore the original master key (the master.key file or CAIRN_MASTER_KEY value used before), or start with an empty data directory.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{File} can be read or written by other users; restrict it with chmod 600")]
    private static partial void LogExposed(ILogger logger, string file);
}
