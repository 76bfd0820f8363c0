using System.Text.RegularExpressions;
using Cairn.Core.Errors;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// What a signature's credential scope must name: the service the request is served by, and a region of one of
/// AWS's partitions (the region patterns of the SDKs' partitions file). An unknown region such as <c>xx-fake-9</c> is
/// refused rather than silently opening a new, empty namespace of parameters and keys.
/// </summary>
public static partial class CredentialScope
{
    /// <summary>Throws AWS's "Credential should be scoped to ..." error when the scope does not fit.</summary>
    public static void Check(AuthenticatedRequest auth, string service, AwsProtocol protocol)
    {
        if (!string.Equals(auth.Service, service, StringComparison.Ordinal))
        {
            throw AwsErrors.CredentialScopeService(protocol, service);
        }

        if (!IsValidRegion(auth.Region))
        {
            throw AwsErrors.CredentialScopeRegion(protocol, auth.Region);
        }
    }

    public static bool IsValidRegion(string region) => RegionRegex().IsMatch(region);

    // aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc.
    [GeneratedRegex(@"^(?:(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+|cn-[a-z]+-\d+|us-gov-[a-z]+-\d+|us-iso-[a-z]+-\d+|us-isob-[a-z]+-\d+|eu-isoe-[a-z]+-\d+|us-isof-[a-z]+-\d+|eusc-de-[a-z]+-\d+)$")]
    private static partial Regex RegionRegex();
}
