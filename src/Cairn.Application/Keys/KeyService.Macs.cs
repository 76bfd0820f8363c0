using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>GenerateMac, VerifyMac: HMAC keys (KeyUsage GENERATE_VERIFY_MAC) with the MAC algorithm their key spec names.</summary>
public sealed partial class KeyService
{
    public async Task<MacResponse> GenerateMacAsync(RequestContext context, MacRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await MacKeyAsync(context, request, "kms:GenerateMac", "GenerateMac", cancellationToken);
        return new MacResponse(key.Arn, request.MacAlgorithm, Macs.Compute(request.MacAlgorithm, keys.Material(key), request.Message));
    }

    /// <summary>Recomputes the MAC and compares in constant time; a MAC that differs is KMSInvalidMacException.</summary>
    public async Task<MacResponse> VerifyMacAsync(RequestContext context, MacRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await MacKeyAsync(context, request, "kms:VerifyMac", "VerifyMac", cancellationToken);
        var mac = request.Mac ?? throw new ArgumentException("VerifyMac needs a MAC.", nameof(request));
        return Macs.Verify(request.MacAlgorithm, keys.Material(key), request.Message, mac)
            ? new MacResponse(key.Arn, request.MacAlgorithm)
            : throw AwsErrors.KmsInvalidMac();
    }

    private async Task<KeyRecord> MacKeyAsync(RequestContext context, MacRequest request, string action, string operation, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, request.KeyId, action, allowAlias: true, cancellationToken);
        CheckUsable(context, key, action, operation, KeySpecs.GenerateVerifyMac, request.MacAlgorithm, KeySpecs.MacAlgorithms(key.KeySpec));
        StopIfDryRun(request.DryRun);
        return key;
    }
}
