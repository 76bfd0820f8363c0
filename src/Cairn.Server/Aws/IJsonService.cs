using System.Text.Json.Nodes;
using Cairn.Core.Identity;

namespace Cairn.Server.Aws;

/// <summary>
/// A service spoken in AWS JSON 1.1: requests carry <c>X-Amz-Target: &lt;TargetPrefix&gt;.&lt;Operation&gt;</c>.
/// Throws <see cref="Core.Errors.AwsException"/> for every failure; an unknown operation is UnknownOperationException.
/// </summary>
public interface IJsonService
{
    /// <summary>e.g. <c>AmazonSSM</c>, <c>TrentService</c> (KMS).</summary>
    string TargetPrefix { get; }

    /// <summary>The SigV4 service name a request's credential scope must name: <c>ssm</c>, <c>kms</c>, <c>codebuild</c>, <c>logs</c>.</summary>
    string SigningName { get; }

    /// <summary>Every operation InvokeAsync serves; the authorization convention test covers each one.</summary>
    IReadOnlyCollection<string> Operations { get; }

    Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken);
}
