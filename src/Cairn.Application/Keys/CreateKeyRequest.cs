using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>CreateKey's members as KMS takes them; null means the member was absent (AWS's defaults apply).</summary>
public sealed record CreateKeyRequest(
    string? Description,
    string? Policy,
    string? KeyUsage,
    string? KeySpec,
    string? Origin,
    string? CustomKeyStoreId,
    string? XksKeyId,
    bool MultiRegion,
    IReadOnlyList<KeyTag> Tags,
    bool BypassPolicyLockoutSafetyCheck = false);
