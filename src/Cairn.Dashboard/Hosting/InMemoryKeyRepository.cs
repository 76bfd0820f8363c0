using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Cairn.Dashboard.Hosting;

/// <summary>
/// Where ASP.NET's Data Protection keeps its keys (antiforgery tokens are protected with them): in memory only, never
/// in a file, so nothing on disk can forge a token. A restart makes new keys; a form rendered before it is asked again.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];
    private readonly Lock _lock = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_lock)
        {
            return _elements.Select(e => new XElement(e)).ToList();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_lock)
        {
            _elements.Add(new XElement(element));
        }
    }
}
