namespace Cairn.Dashboard.Hosting;

/// <summary>The IAM pages (read-only) and "why was I denied". A policy's ARN travels as the path's tail, each segment escaped.</summary>
public static partial class DashboardRoutes
{
    public const string IamUsers = "/iam/users";
    public const string IamRoles = "/iam/roles";
    public const string IamGroups = "/iam/groups";
    public const string IamPolicies = "/iam/policies";
    public const string WhyDenied = "/iam/why-denied";

    public static string IamUser(string name) => $"{IamUsers}/{Uri.EscapeDataString(name)}";

    public static string IamRole(string name) => $"{IamRoles}/{Uri.EscapeDataString(name)}";

    public static string IamGroup(string name) => $"{IamGroups}/{Uri.EscapeDataString(name)}";

    public static string IamPolicy(string arn) => $"{IamPolicies}/{string.Join('/', arn.Split('/').Select(Uri.EscapeDataString))}";

    /// <summary>The "why denied" form filled in (and run) for a principal, an action and a resource.</summary>
    public static string WhyDeniedFor(string principalArn, string action, string resourceArn) =>
        $"{WhyDenied}?principal={Uri.EscapeDataString(principalArn)}&action={Uri.EscapeDataString(action)}&resource={Uri.EscapeDataString(resourceArn)}";
}
