namespace Cairn.Storage.DataProtection;

/// <summary>One Data Protection key element: its name (Data Protection's friendly name, <c>key-&lt;id&gt;</c>) and its XML encrypted by the caller.</summary>
public sealed record DataProtectionKeyRecord(string Name, string ProtectedXml);
