namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// Signs every request an <see cref="HttpClient"/> sends, at send time: by then a relative URI has been resolved
/// against the client's BaseAddress, and the signature is fresh.
/// </summary>
public sealed class SigV4SigningHandler(SigV4Signer signer, TimeProvider? time = null) : DelegatingHandler
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, _time.GetUtcNow(), cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
