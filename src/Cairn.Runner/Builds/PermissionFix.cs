using System.Text;
using System.Text.Json;

namespace Cairn.Runner.Builds;

/// <summary>
/// Cairn's fix for a denied parameter read: the identity policy statements the build's role (or user) lacks, and the
/// <c>aws iam put-role-policy</c> command that adds them.
/// </summary>
public static class PermissionFix
{
    /// <summary>
    /// The fix text. <paramref name="parameterArns"/> need ssm:GetParameters; <paramref name="keyArns"/> (customer
    /// managed keys) need kms:Decrypt. The inline policy the command writes is named <paramref name="policyPrefix"/> plus
    /// a hash of its statements, so applying one fix never replaces the policy an earlier fix added.
    /// </summary>
    public static string Describe(AccessDenial denial, IReadOnlyList<string> parameterArns, IReadOnlyList<string> keyArns, string policyPrefix, string awsCommand = "aws")
    {
        ArgumentNullException.ThrowIfNull(denial);
        if (IsKeyPolicyDenial(denial))
        {
            return KeyPolicyFix(denial, awsCommand);
        }

        if (IsBoundaryDenial(denial))
        {
            return BoundaryFix(denial, awsCommand);
        }

        var statements = Statements(parameterArns, keyArns);
        var policyName = PolicyName(policyPrefix, statements);
        var (kind, name) = Target(denial.PrincipalArn);
        var text = new StringBuilder();
        var who = kind switch
        {
            "role" => $"the role {name}",
            "user" => $"the user {name}",
            _ => denial.PrincipalArn ?? "the build's identity",
        };
        var denied = new List<string>();
        if (parameterArns.Count > 0)
        {
            denied.Add($"read {Plural(parameterArns.Count, "parameter")} the build needs");
        }

        if (keyArns.Count > 0)
        {
            denied.Add($"decrypt with {Plural(keyArns.Count, "customer managed key")}");
        }

        text.Append($"{Capitalize(who)} may not {string.Join(" or ", denied)}");
        text.Append(statements.Count == 1 ? ". It lacks this policy statement:\n" : ". It lacks these policy statements:\n");
        foreach (var statement in statements)
        {
            text.Append(Json(statement, indented: true)).Append('\n');
        }

        if (kind is "role" or "user")
        {
            var document = Json(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements }, indented: false);
            text.Append("Add it with:\n");
            text.Append($"{awsCommand} iam put-{kind}-policy --{kind}-name {name} --policy-name {policyName} --policy-document '{document}'");
        }
        else
        {
            text.Append("Add it to the identity policy of the principal the build runs as.");
        }

        return text.ToString();
    }

    /// <summary>
    /// The statement that allows what an AccessDenied refused (<paramref name="action"/> on <paramref name="resourceArn"/>),
    /// indented, and the <c>aws iam put-user-policy</c> / <c>put-role-policy</c> command that adds it when the principal is
    /// a user or a role (null otherwise). The same fix text wherever a denial is shown: a pipeline's deploy, the dashboard.
    /// </summary>
    public static GrantingStatement Grant(string? principalArn, string action, string resourceArn, string policyPrefix, string awsCommand = "aws") =>
        Grant(principalArn, [action], resourceArn, policyPrefix, awsCommand);

    /// <summary>As <see cref="Grant(string?, string, string, string, string)"/> for several actions on one resource, in one statement.</summary>
    public static GrantingStatement Grant(string? principalArn, IReadOnlyList<string> actions, string resourceArn, string policyPrefix, string awsCommand = "aws")
    {
        ArgumentNullException.ThrowIfNull(actions);
        var statement = new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = actions.Count == 1 ? actions[0] : actions, ["Resource"] = resourceArn };
        var (kind, name) = Target(principalArn);
        string? command = null;
        if (kind is not null)
        {
            var document = Json(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = new[] { statement } }, indented: false);
            command = $"{awsCommand} iam put-{kind}-policy --{kind}-name {name} --policy-name {PolicyName(policyPrefix, [statement])} --policy-document '{document}'";
        }

        return new GrantingStatement(Json(statement, indented: true), command);
    }

    /// <summary>KMS refused through the key's own policy: no identity policy can fix that, only the key policy can.</summary>
    public static bool IsKeyPolicyDenial(AccessDenial denial) =>
        denial.Action?.StartsWith("kms:", StringComparison.OrdinalIgnoreCase) == true
        && denial.Message.Contains("resource-based policy", StringComparison.Ordinal);

    /// <summary>The principal's permissions boundary refused: an identity policy cannot widen a boundary.</summary>
    public static bool IsBoundaryDenial(AccessDenial denial) =>
        denial?.Message.Contains("in a permissions boundary", StringComparison.Ordinal) == true
        || denial?.Message.Contains("because no permissions boundary allows", StringComparison.Ordinal) == true;

    /// <summary>What to change when the boundary denied: the boundary policy (a new default version) or the boundary itself.</summary>
    private static string BoundaryFix(AccessDenial denial, string awsCommand)
    {
        var (kind, name) = Target(denial.PrincipalArn);
        var who = kind is null ? denial.PrincipalArn ?? "the principal" : $"the {kind} {name}";
        var why = denial.Message.Contains("explicit deny", StringComparison.Ordinal)
            ? "a Deny statement in its permissions boundary matches"
            : "its permissions boundary does not allow it";
        var text = new StringBuilder($"{Capitalize(who)} may not {denial.Action} on {denial.Resource}: {why}. A boundary caps what the identity policies allow, "
            + "so adding an identity policy will not help: widen the boundary policy (a new default version) or set another boundary.");
        if (kind is not null)
        {
            text.Append($"\nSee which policy is the boundary with:\n{awsCommand} iam get-{kind} --{kind}-name {name} --query {Capitalize(kind)}.PermissionsBoundary");
            text.Append($"\nthen add {denial.Action} to it with {awsCommand} iam create-policy-version --policy-arn <that ARN> --policy-document file://boundary.json --set-as-default");
        }

        return text.ToString();
    }

    /// <summary>What the key's administrator must change in its key policy, with the commands that read and write it.</summary>
    private static string KeyPolicyFix(AccessDenial denial, string awsCommand)
    {
        var (kind, name) = Target(denial.PrincipalArn);
        var account = denial.PrincipalArn?.Split(':', 6) is { Length: 6 } parts ? parts[4] : null;
        var principal = kind is not null && account is not null ? $"arn:aws:iam::{account}:{kind}/{name}" : denial.PrincipalArn ?? "<principal ARN>";
        var why = denial.Message.Contains("explicit deny", StringComparison.Ordinal)
            ? "a Deny statement in the key policy names it"
            : "no statement of the key policy allows it or its account";
        var statement = Json(new Dictionary<string, object>
        {
            ["Effect"] = "Allow",
            ["Principal"] = new Dictionary<string, object> { ["AWS"] = principal },
            ["Action"] = denial.Action!,
            ["Resource"] = "*",
        }, indented: true);
        return $"The key policy of {denial.Resource} refuses {principal} {denial.Action}: {why}. An identity policy cannot override a key policy; "
            + "whoever administers the key must change it. Read it with:\n"
            + $"{awsCommand} kms get-key-policy --key-id {denial.Resource} --policy-name default --query Policy --output text > key-policy.json\n"
            + $"remove the Deny that names the principal, or add this statement:\n{statement}\nthen write it back with:\n"
            + $"{awsCommand} kms put-key-policy --key-id {denial.Resource} --policy-name default --policy file://key-policy.json";
    }

    /// <summary>&lt;prefix&gt;-&lt;8 hex digits of the statements' SHA-256&gt;, at most 128 characters as IAM allows.</summary>
    public static string PolicyName(string prefix, IReadOnlyList<Dictionary<string, object>> statements)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Json(statements, indented: false))))[..8];
        return $"{(prefix.Length > 119 ? prefix[..119] : prefix)}-{hash}";
    }

    /// <summary>ssm:GetParameters on the parameters, then kms:Decrypt on the customer managed keys, if any.</summary>
    public static IReadOnlyList<Dictionary<string, object>> Statements(IReadOnlyList<string> parameterArns, IReadOnlyList<string> keyArns)
    {
        var statements = new List<Dictionary<string, object>>();
        if (parameterArns.Count > 0)
        {
            statements.Add(Statement("ssm:GetParameters", parameterArns));
        }

        if (keyArns.Count > 0)
        {
            statements.Add(Statement("kms:Decrypt", keyArns));
        }

        return statements;
    }

    /// <summary>("role", name) for a role session or role ARN, ("user", name) for a user ARN, else (null, null).</summary>
    public static (string? Kind, string? Name) Target(string? principalArn)
    {
        if (principalArn is null)
        {
            return (null, null);
        }

        var resource = principalArn.Split(':', 6) is { Length: 6 } parts ? parts[5] : "";
        var segments = resource.Split('/');
        return segments[0] switch
        {
            "assumed-role" when segments.Length >= 3 => ("role", segments[1]),
            "role" when segments.Length >= 2 => ("role", segments[^1]),
            "user" when segments.Length >= 2 => ("user", segments[^1]),
            _ => (null, null),
        };
    }

    private static Dictionary<string, object> Statement(string action, IReadOnlyList<string> resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = action,
        ["Resource"] = resources.Count == 1 ? resources[0] : resources.Distinct(StringComparer.Ordinal).ToArray(),
    };

    private static string Json(object value, bool indented) =>
        JsonSerializer.Serialize(value, indented ? Indented : Compact);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Plural(int count, string noun) => count == 1 ? $"a {noun}" : $"{count} {noun}s";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
