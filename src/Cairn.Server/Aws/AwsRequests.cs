using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Aws;

/// <summary>
/// Which requests on the one port are AWS calls (the rest are the dashboard's): anything signed or shaped as an AWS
/// client sends it. A browser sends none of these: no AWS Authorization scheme, no X-Amz-* header or query
/// parameter, no Action in the query, and the dashboard never posts a form to "/", where the Query protocol posts.
/// </summary>
internal static class AwsRequests
{
    public static bool IsAws(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("AWS", StringComparison.Ordinal))
        {
            return true; // AWS4-HMAC-SHA256, and malformed or older schemes the handler answers with AWS's error
        }

        foreach (var header in request.Headers.Keys)
        {
            if (header.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
            {
                return true; // X-Amz-Target (JSON 1.1), X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256
            }
        }

        foreach (var key in request.Query.Keys)
        {
            if (key == "Action" || key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
            {
                return true; // a Query-protocol call in the URL, a presigned URL
            }
        }

        return HttpMethods.IsPost(request.Method) && request.Path == "/"
            && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
    }
}
