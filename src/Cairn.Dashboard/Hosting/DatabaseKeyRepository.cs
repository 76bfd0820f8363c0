using System.Xml.Linq;
using Cairn.Core.Keys;
using Cairn.Storage.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Cairn.Dashboard.Hosting;

/// <summary>
/// Where ASP.NET's Data Protection keeps its key ring (antiforgery tokens are protected with it): the database every
/// server shares (<see cref="IDataProtectionKeyStore"/>), so a form rendered by one server is accepted by another and a
/// restart keeps the keys. Each key's XML is encrypted under the server's master key, bound to its name, before it
/// reaches the store: the database never holds a usable key.
/// </summary>
internal sealed class DatabaseKeyRepository(IDataProtectionKeyStore store, MasterKey masterKey) : IXmlRepository
{
    private const string Purpose = "dataprotection-key";

    // Data Protection's interface is synchronous; it calls it at start and when it makes a key (every 90 days), off any request's path.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListAsync(CancellationToken.None).GetAwaiter().GetResult()
            .Select(key => XElement.Parse(masterKey.RevealSecret(Purpose, key.Name, key.ProtectedXml)))
            .ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("D") : friendlyName;
        var protectedXml = masterKey.ProtectSecret(Purpose, name, element.ToString(SaveOptions.DisableFormatting));
        store.AddAsync(new DataProtectionKeyRecord(name, protectedXml), CancellationToken.None).GetAwaiter().GetResult();
    }
}
