using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>
/// What a service that encrypts under KMS on the caller's behalf (SSM's SecureStrings, Secrets Manager's values) shares:
/// authorizing the KMS action with the request's kms:* context keys, KMS's denial passed on with its request details
/// appended as AWS does, and which KMS errors are the key's or ciphertext's refusal.
/// </summary>
public static class ViaServiceKms
{
    /// <summary>
    /// Authorizes <paramref name="action"/> on <paramref name="key"/> under its key policy and IAM (<see cref="KeyAuthorization"/>)
    /// with the calling service's condition keys; a denial is KMS's, passed on with its request details appended as AWS does.
    /// </summary>
    public static async Task AuthorizeAsync(KeyAuthorization keys, RequestContext context, KeyReference key, string action,
        IReadOnlyDictionary<string, string> serviceConditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await keys.AuthorizeAsync(context, key, action, serviceConditions, cancellationToken);
        }
        catch (AwsException error) when (error.IsAccessDenied)
        {
            throw AwsErrors.AccessDenied(
                $"{error.Message} (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: {context.RequestId}; Proxy: null)");
        }
    }

    /// <summary>KMS's message, or for a key pending deletion which key, when it goes and how to keep it (AWS says only "is pending deletion").</summary>
    public static string Message(AwsException error, KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(key);
        return key.DeletionDate is { } deletionDate && error.Code == "KMSInvalidStateException" ? AwsErrors.KmsPendingDeletionHint(key.Arn, deletionDate) : error.Message;
    }

    /// <summary>KMS refusing the key or ciphertext (not found, disabled, bad blob), as opposed to a denial.</summary>
    public static bool IsRefusal(AwsException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.IsSender && !error.IsAccessDenied;
    }
}
