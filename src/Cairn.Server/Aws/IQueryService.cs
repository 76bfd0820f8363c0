using System.Xml.Linq;
using Cairn.Core.Identity;

namespace Cairn.Server.Aws;

/// <summary>
/// A service spoken in the AWS Query protocol (IAM, STS): form-encoded <c>Action=...</c>, XML responses.
/// Chosen by the SigV4 credential scope's service name.
/// </summary>
public interface IQueryService
{
    /// <summary>The SigV4 service name: <c>iam</c>, <c>sts</c>.</summary>
    string SigningName { get; }

    /// <summary>The XML namespace of responses and errors, e.g. https://iam.amazonaws.com/doc/2010-05-08/.</summary>
    string XmlNamespace { get; }

    /// <summary>Every action InvokeAsync serves; the authorization convention test covers each one.</summary>
    IReadOnlyCollection<string> Operations { get; }

    /// <summary>
    /// The actions AWS serves without a signature (the model's <c>noAuth</c>: STS's AssumeRoleWithWebIdentity); an unsigned
    /// request for one reaches <see cref="InvokeAsync"/> with an anonymous principal, which the action must not authorize with.
    /// </summary>
    IReadOnlyCollection<string> UnsignedOperations => [];

    /// <summary>Returns the <c>&lt;ActionResult&gt;</c> element (or null for actions with no result); the codec wraps it.</summary>
    Task<XElement?> InvokeAsync(string action, IReadOnlyDictionary<string, string> parameters, RequestContext context, CancellationToken cancellationToken);
}
