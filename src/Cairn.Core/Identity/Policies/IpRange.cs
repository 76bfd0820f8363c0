using System.Net;
using System.Net.Sockets;

namespace Cairn.Core.Identity.Policies;

/// <summary>An IpAddress condition value: a CIDR block (IPv4 or IPv6) or a single address.</summary>
internal sealed class IpRange
{
    private readonly byte[] _network;
    private readonly int _prefix;

    private IpRange(byte[] network, int prefix)
    {
        _network = network;
        _prefix = prefix;
    }

    public static bool TryParse(string text, out IpRange? range)
    {
        range = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText.Trim(), out var address))
        {
            return false;
        }

        address = Normalize(address);
        var bytes = address.GetAddressBytes();
        var maxPrefix = bytes.Length * 8;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out prefix) || prefix < 0 || prefix > maxPrefix))
        {
            return false;
        }

        range = new IpRange(bytes, prefix);
        return true;
    }

    public bool Contains(string addressText)
    {
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bytes = Normalize(address).GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }

        var remaining = _prefix;
        for (var i = 0; i < bytes.Length && remaining > 0; i++, remaining -= 8)
        {
            var mask = remaining >= 8 ? 0xFF : (byte)(0xFF << (8 - remaining));
            if ((bytes[i] & mask) != (_network[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A client reaching a dual-stack socket shows up as ::ffff:a.b.c.d; policies name it as a.b.c.d.</summary>
    private static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
