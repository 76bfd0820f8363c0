namespace Cairn.Server.Aws;

/// <summary>
/// Request ids (x-amzn-RequestId) in AWS's UUID form. They only need to be unique, not unguessable, so they come from
/// the runtime's seeded per-thread generator rather than Guid.NewGuid, which reads /dev/urandom on every call here.
/// </summary>
internal static class RequestIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's byte order puts it in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
