using System.Text.RegularExpressions;

namespace Cairn.Core.Identity.Policies;

/// <summary>IAM's checks after the grammar, in IAM's order; each returns the message of the first failure or null.</summary>
internal static partial class PolicyParser
{
    private static readonly string[] IamResourcePrefixes =
    [
        "user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/", "policy/",
        "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/",
    ];

    // S3's resource types whose ARNs carry a region (Service Authorization Reference, Amazon S3): access points and
    // their objects, Batch Operations jobs, Storage Lens, Access Grants, Multi-Region Access Point requests. Buckets
    // and objects (arn:aws:s3:::bucket/key) have none, and IAM refuses one there.
    private static readonly string[] S3RegionalResourcePrefixes =
    [
        "accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/",
    ];

    private static string? FirstError(RawDocument raw, PolicyKind kind)
    {
        var statements = raw.Statements;
        if (kind == PolicyKind.Trust)
        {
            if (statements.Any(s => s.Resource is not null))
            {
                return "Has prohibited field Resource";
            }

            if (statements.Any(s => s.NotResource is not null))
            {
                return "Has prohibited field NotResource";
            }

            if (statements.Any(s => !s.HasPrincipal))
            {
                return MissingPrincipal;
            }
        }
        else if (kind == PolicyKind.Resource)
        {
            if (statements.Any(s => !s.HasPrincipal))
            {
                return MissingPrincipal;
            }
        }
        else if (statements.Any(s => s.HasPrincipal))
        {
            return ShouldNotSpecifyPrincipal;
        }

        if (kind == PolicyKind.Managed && raw.Version != PolicyDocument.CurrentVersion)
        {
            return MustBeVersion2012;
        }

        var resourceError = CheckLegacy(statements, out var legacyFailed);
        if (legacyFailed)
        {
            return FailedLegacyParsing;
        }

        var sids = new HashSet<string>(StringComparer.Ordinal);
        if (statements.Any(s => s.Sid is { Length: > 0 } sid && !sids.Add(sid)))
        {
            return SidsNotUnique;
        }

        if (statements.Any(s => s.ActionLike is not { Count: > 0 }))
        {
            return MustContainActions;
        }

        if (kind != PolicyKind.Trust && statements.Any(s => s.ResourceLike is not { Count: > 0 }))
        {
            return MustContainResources;
        }

        if (resourceError is not null)
        {
            return resourceError;
        }

        foreach (var action in statements.SelectMany(s => s.ActionLike!))
        {
            var error = CheckAction(action);
            if (error is not null)
            {
                return error;
            }
        }

        if (kind == PolicyKind.Trust)
        {
            var error = CheckTrust(statements);
            if (error is not null)
            {
                return error;
            }
        }

        return statements.Any(s => s.Sid is not null && !SidPattern().IsMatch(s.Sid)) ? SidNotAlphanumeric : null;
    }

    /// <summary>
    /// IAM's legacy parser: case-sensitive Effect, parseable Date condition values, and resources shaped like ARNs.
    /// Returns the first resource format error (reported later, after the SID and presence checks).
    /// </summary>
    private static string? CheckLegacy(List<RawStatement> statements, out bool failed)
    {
        failed = false;
        foreach (var s in statements)
        {
            if (s.Effect is not ("Allow" or "Deny"))
            {
                failed = true;
                return null;
            }

            foreach (var condition in s.Conditions)
            {
                if (ConditionOperator.TryParse(condition.Operator, out _, out var op, out _)
                    && op!.Family == ConditionFamily.Date
                    && condition.Values.Any(v => !PolicyDates.TryParse(v, out _)))
                {
                    failed = true;
                    return null;
                }
            }
        }

        string? resourceError = null;
        foreach (var s in statements)
        {
            foreach (var list in new[] { s.Resource, s.NotResource })
            {
                if (list is null)
                {
                    continue;
                }

                foreach (var resource in list)
                {
                    resourceError ??= ResourceFormatError(resource);
                }

                if (resourceError is null && list.Any(r => r != "*" && !PassesLegacyResource(r)))
                {
                    failed = true;
                    return null;
                }
            }
        }

        return resourceError;
    }

    private static bool PassesLegacyResource(string resource)
    {
        var colons = resource.Count(c => c == ':');
        var parts = resource.Split(':');
        return (colons >= 5 || !resource.Contains("::", StringComparison.Ordinal)) && parts.Length > 2 && parts[2].Length > 0;
    }

    private static string? ResourceFormatError(string resource)
    {
        if (resource == "*")
        {
            return null;
        }

        var first = resource.IndexOf(':', StringComparison.Ordinal);
        if (first < 0)
        {
            return $"Resource {resource} must be in ARN format or \"*\".";
        }

        var afterPrefix = resource[(first + 1)..];
        var second = afterPrefix.IndexOf(':', StringComparison.Ordinal);
        var partition = second < 0 ? afterPrefix : afterPrefix[..second];
        if (partition != "aws")
        {
            var rest = (second < 0 ? string.Empty : afterPrefix[(second + 1)..]).Split(':');
            var arn1 = rest[0].Length > 0 || rest.Length > 1 ? rest[0] : "*";
            var arn2 = rest.Length > 1 ? rest[1] : "*";
            var arn3 = rest.Length > 2 ? rest[2] : "*";
            var arn4 = rest.Length > 3 ? string.Join(':', rest[3..]) : "*";
            return $"Partition \"{partition}\" is not valid for resource \"arn:{partition}:{arn1}:{arn2}:{arn3}:{arn4}\".";
        }

        if (second < 0)
        {
            return "Resource vendor must be fully qualified and cannot contain regexes.";
        }

        var afterPartition = afterPrefix[(second + 1)..];
        var serviceEnd = afterPartition.IndexOf(':', StringComparison.Ordinal);
        var service = serviceEnd < 0 ? afterPartition : afterPartition[..serviceEnd];
        var afterService = serviceEnd < 0 ? string.Empty : afterPartition[serviceEnd..];
        if (!afterService.StartsWith(':'))
        {
            afterService = string.Empty;
        }

        var hasRegion = serviceEnd < 0 || (afterService.Length > 1 && afterService[1] != ':');
        if (service == "iam" && hasRegion)
        {
            return $"IAM resource {resource} cannot contain region information.";
        }

        if (service == "s3" && hasRegion && !IsS3RegionalResource(afterService))
        {
            return $"Resource {resource} can not contain region information.";
        }

        if (service == "iam")
        {
            // Skip ":region:account:" to the resource part.
            var parts = afterService.Split(':', 4);
            var resourcePart = parts.Length == 4 ? parts[3] : string.Empty;
            if (!IamResourcePrefixes.Any(p => resourcePart.StartsWith(p, StringComparison.Ordinal)))
            {
                return $"IAM resource path must either be \"*\" or start with {string.Join(", ", IamResourcePrefixes)}.";
            }
        }

        return null;
    }

    /// <summary>Whether an S3 ARN's part after the service (<c>:region:account:resource</c>) names a regional resource type.</summary>
    private static bool IsS3RegionalResource(string afterService)
    {
        var parts = afterService.Split(':', 4);
        return parts.Length == 4 && S3RegionalResourcePrefixes.Any(p => parts[3].StartsWith(p, StringComparison.Ordinal));
    }

    private static string? CheckAction(string action)
    {
        if (action == "*")
        {
            return null;
        }

        var parts = action.Split(':');
        if (parts.Length == 1)
        {
            return ActionNeedsVendor;
        }

        if (parts.Length > 2)
        {
            return ActionOneColon;
        }

        var vendor = parts[0];
        if (vendor.Contains('*', StringComparison.Ordinal) || vendor.Contains('?', StringComparison.Ordinal))
        {
            return VendorWildcard;
        }

        return VendorPattern().IsMatch(vendor) ? null : $"Vendor {vendor} is not valid";
    }

    private static string? CheckTrust(List<RawStatement> statements)
    {
        foreach (var s in statements)
        {
            if (s.ActionLike!.Any(a => a != "*" && !a.StartsWith("sts:", StringComparison.OrdinalIgnoreCase)))
            {
                return TrustActionsOnlySts;
            }

            if (s.InvalidPrincipal is not null)
            {
                return $"Invalid principal in policy: \"{s.InvalidPrincipal}\"";
            }

            var principals = s.Principal ?? s.NotPrincipal!;
            foreach (var aws in principals.Get("AWS"))
            {
                if (!AwsPrincipalPattern().IsMatch(aws))
                {
                    return $"Invalid principal in policy: \"AWS\":\"{aws}\"";
                }
            }

            foreach (var service in principals.Get("Service"))
            {
                if (!ServicePrincipalPattern().IsMatch(service))
                {
                    return $"Invalid principal in policy: \"SERVICE\":\"{service}\"";
                }
            }
        }

        return null;
    }

    [GeneratedRegex("^[0-9A-Za-z]*$")]
    private static partial Regex SidPattern();

    [GeneratedRegex("^[a-zA-Z0-9.-]+$")]
    private static partial Regex VendorPattern();

    [GeneratedRegex(@"^(\*|\d{12}|arn:aws:iam::\d{12}:(root|user/.+|role/.+)|arn:aws:sts::\d{12}:(assumed-role|federated-user)/.+)$")]
    private static partial Regex AwsPrincipalPattern();

    [GeneratedRegex(@"^[a-z0-9-]+(\.[a-z0-9-]+)+$")]
    private static partial Regex ServicePrincipalPattern();
}
