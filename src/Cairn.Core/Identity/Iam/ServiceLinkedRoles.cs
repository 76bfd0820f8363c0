using Cairn.Core.Errors;

namespace Cairn.Core.Identity.Iam;

/// <summary>
/// Service-linked roles: <c>AWSServiceRoleFor&lt;Service&gt;[_suffix]</c> at <c>/aws-service-role/&lt;service principal&gt;/</c>,
/// trusting only the service. The service part of the name is AWS's for the services listed in <see cref="KnownNames"/>,
/// otherwise the principal's first label in PascalCase (<c>my-svc.amazonaws.com</c> -> <c>MySvc</c>).
/// </summary>
public static class ServiceLinkedRoles
{
    public const string PathPrefix = "/aws-service-role/";

    /// <summary>The names AWS gives some services' roles, where the PascalCase rule would not.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["autoscaling.amazonaws.com"] = "AutoScaling",
        ["ecs.amazonaws.com"] = "ECS",
        ["rds.amazonaws.com"] = "RDS",
        ["elasticloadbalancing.amazonaws.com"] = "ElasticLoadBalancing",
        ["elasticbeanstalk.amazonaws.com"] = "ElasticBeanstalk",
        ["ssm.amazonaws.com"] = "AmazonSSM",
        ["codestar-notifications.amazonaws.com"] = "AWSCodeStarNotifications",
        ["organizations.amazonaws.com"] = "Organizations",
        ["eks.amazonaws.com"] = "AmazonEKS",
        ["ec2scheduled.amazonaws.com"] = "EC2Scheduled",
    };

    public static bool IsServiceLinked(IamRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.Path.StartsWith(PathPrefix, StringComparison.Ordinal);
    }

    /// <summary>The role's path and name for <paramref name="service"/> (a principal ending in .amazonaws.com) and an optional suffix.</summary>
    public static (string Path, string Name) For(string service, string? customSuffix)
    {
        ArgumentNullException.ThrowIfNull(service);
        const string Domain = ".amazonaws.com";
        if (!service.EndsWith(Domain, StringComparison.OrdinalIgnoreCase) || service.Length == Domain.Length)
        {
            throw AwsErrors.NotAServicePrincipal(service);
        }

        var label = service[..^Domain.Length];
        var part = KnownNames.TryGetValue(service, out var known)
            ? known
            : string.Concat(label.Split('-', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        var name = "AWSServiceRoleFor" + part + (customSuffix is null ? string.Empty : "_" + customSuffix);
        if (name.Length > 64)
        {
            throw AwsErrors.InvalidInput($"The role name {name} is longer than 64 characters: use a shorter CustomSuffix.");
        }

        return ($"{PathPrefix}{service.ToLowerInvariant()}/", name);
    }

    /// <summary>The trust policy AWS gives a service-linked role: the service alone may assume it.</summary>
    public static string TrustPolicy(string service) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["{{service.ToLowerInvariant()}}"]},"Action":"sts:AssumeRole"}]}""";

    /// <summary><c>task/aws-service-role/&lt;service&gt;/&lt;role&gt;/&lt;uuid&gt;</c>, as AWS's DeletionTaskId.</summary>
    public static string DeletionTaskId(IamRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return $"task{role.Path}{role.RoleName}/{Guid.NewGuid()}";
    }

    /// <summary>The role name a deletion task id names, or null when it is not one.</summary>
    public static string? RoleNameOfTask(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var parts = taskId.Split('/');
        return parts.Length == 5 && parts[0] == "task" && parts[1] == "aws-service-role" && Guid.TryParse(parts[4], out _) ? parts[3] : null;
    }
}
