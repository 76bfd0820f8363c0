using Cairn.Storage.DataProtection;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.DataProtection;

/// <summary>What every IDataProtectionKeyStore must do; each backend runs this suite through a subclass.</summary>
public abstract class DataProtectionKeyStoreContractTests
{
    protected abstract IDataProtectionKeyStore Store { get; }

    [StoreFact]
    public async Task Keys_are_listed_in_the_order_they_were_added()
    {
        Assert.Empty(await Store.ListAsync(CancellationToken.None));

        await Store.AddAsync(new DataProtectionKeyRecord("key-b", "sealed-b"), CancellationToken.None);
        await Store.AddAsync(new DataProtectionKeyRecord("key-a", "sealed-a"), CancellationToken.None);

        Assert.Equal([new DataProtectionKeyRecord("key-b", "sealed-b"), new DataProtectionKeyRecord("key-a", "sealed-a")], await Store.ListAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task A_key_once_stored_keeps_its_first_value()
    {
        await Store.AddAsync(new DataProtectionKeyRecord("key-1", "first"), CancellationToken.None);
        await Store.AddAsync(new DataProtectionKeyRecord("key-1", "second"), CancellationToken.None);

        Assert.Equal([new DataProtectionKeyRecord("key-1", "first")], await Store.ListAsync(CancellationToken.None));
    }
}
