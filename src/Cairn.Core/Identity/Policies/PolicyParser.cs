using System.Text.Json;
using Cairn.Core.Errors;

namespace Cairn.Core.Identity.Policies;

/// <summary>
/// Reads a policy document the way IAM does: a grammar check first, then IAM's later checks in IAM's order,
/// each failing with IAM's own MalformedPolicyDocument text. Only the first failing check is reported.
/// </summary>
internal static partial class PolicyParser
{
    public const string SyntaxErrors = "Syntax errors in policy.";
    public const string ShouldNotSpecifyPrincipal = "Policy document should not specify a principal.";
    public const string MustBeVersion2012 = "Policy document must be version 2012-10-17 or greater.";
    public const string FailedLegacyParsing = "The policy failed legacy parsing";
    public const string SidsNotUnique = "Statement IDs (SID) in a single policy must be unique.";
    public const string SidNotAlphanumeric = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    public const string MustContainActions = "Policy statement must contain actions.";
    public const string MustContainResources = "Policy statement must contain resources.";
    public const string MissingPrincipal = "Missing required field Principal";
    public const string ActionNeedsVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    public const string ActionOneColon = "Actions/Condition can contain only one colon.";
    public const string VendorWildcard = "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards";
    public const string TrustActionsOnlySts = "AssumeRole policy may only specify STS AssumeRole actions.";

    private static readonly HashSet<string> TopElements = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementElements = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition",
    };

    private static readonly HashSet<string> PrincipalTypes = new(StringComparer.Ordinal) { "AWS", "Service", "Federated", "CanonicalUser" };

    public static PolicyDocument Parse(string json, PolicyKind kind)
    {
        var raw = ReadGrammar(json) ?? throw AwsErrors.MalformedPolicyDocument(SyntaxErrors);
        var error = FirstError(raw, kind);
        if (error is not null)
        {
            throw AwsErrors.MalformedPolicyDocument(error);
        }

        return Compile(json, raw);
    }

    private static PolicyDocument Compile(string json, RawDocument raw)
    {
        var variables = raw.Version == PolicyDocument.CurrentVersion;
        var statements = new List<PolicyStatement>(raw.Statements.Count);
        for (var i = 0; i < raw.Statements.Count; i++)
        {
            var s = raw.Statements[i];
            var conditions = new List<ConditionClause>();
            foreach (var condition in s.Conditions)
            {
                if (ConditionOperator.TryParse(condition.Operator, out var qualifier, out var op, out var ifExists))
                {
                    conditions.Add(new ConditionClause(condition.Operator, op!, qualifier, ifExists, condition.Key, condition.Values, variables));
                }
            }

            statements.Add(new PolicyStatement(
                i,
                s.Sid,
                s.Effect == "Deny" ? PolicyEffect.Deny : PolicyEffect.Allow,
                s.Action ?? s.NotAction ?? [],
                s.NotAction is not null,
                s.Resource ?? s.NotResource ?? [],
                s.NotResource is not null,
                s.Principal ?? s.NotPrincipal,
                s.NotPrincipal is not null,
                conditions.ToArray(),
                variables));
        }

        return new PolicyDocument(json, raw.Version, raw.Id, statements);
    }

    /// <summary>The grammar: JSON shape, known elements, value types. Null when anything is off (IAM says only "Syntax errors").</summary>
    private static RawDocument? ReadGrammar(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (Exception error) when (error is JsonException or ArgumentException)
        {
            return null; // ArgumentException: a lone surrogate in the text itself, which has no UTF-8 form
        }

        using (document)
        {
            try
            {
                return ReadRoot(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                return null; // a lone surrogate escape such as \ud800: no string IAM could hold
            }
        }
    }

    private static RawDocument? ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? version = null;
        string? id = null;
        List<RawStatement>? statements = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!TopElements.Contains(property.Name))
            {
                return null;
            }

            switch (property.Name)
            {
                case "Version":
                    version = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    if (version is not (PolicyDocument.CurrentVersion or PolicyDocument.LegacyVersion))
                    {
                        return null;
                    }

                    break;
                case "Id":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    id = property.Value.GetString();
                    break;
                default:
                    statements = ReadStatements(property.Value);
                    if (statements is null)
                    {
                        return null;
                    }

                    break;
            }
        }

        return statements is null ? null : new RawDocument(version, id, statements);
    }

    private static List<RawStatement>? ReadStatements(JsonElement element)
    {
        var items = element.ValueKind switch
        {
            JsonValueKind.Object => [element],
            JsonValueKind.Array => element.EnumerateArray().ToList(),
            _ => null,
        };
        if (items is null || items.Count == 0)
        {
            return null;
        }

        var statements = new List<RawStatement>(items.Count);
        foreach (var item in items)
        {
            var statement = item.ValueKind == JsonValueKind.Object ? ReadStatement(item) : null;
            if (statement is null)
            {
                return null;
            }

            statements.Add(statement);
        }

        return statements;
    }

    private static RawStatement? ReadStatement(JsonElement element)
    {
        var s = new RawStatement();
        foreach (var property in element.EnumerateObject())
        {
            if (!StatementElements.Contains(property.Name))
            {
                return null;
            }

            var value = property.Value;
            var ok = property.Name switch
            {
                "Sid" => TryString(value, out s.Sid),
                "Effect" => TryString(value, out s.Effect),
                "Action" => TryStringList(value, out s.Action),
                "NotAction" => TryStringList(value, out s.NotAction),
                "Resource" => TryStringList(value, out s.Resource),
                "NotResource" => TryStringList(value, out s.NotResource),
                "Principal" => TryPrincipals(value, out s.Principal, out s.InvalidPrincipal),
                "NotPrincipal" => TryPrincipals(value, out s.NotPrincipal, out s.InvalidPrincipal),
                _ => TryConditions(value, s.Conditions),
            };
            if (!ok)
            {
                return null;
            }
        }

        var bothActions = s.Action is not null && s.NotAction is not null;
        var bothResources = s.Resource is not null && s.NotResource is not null;
        var bothPrincipals = s.Principal is not null && s.NotPrincipal is not null;
        var effectKnown = s.Effect is not null
            && (s.Effect.Equals("Allow", StringComparison.OrdinalIgnoreCase) || s.Effect.Equals("Deny", StringComparison.OrdinalIgnoreCase));
        return bothActions || bothResources || bothPrincipals || !effectKnown ? null : s;
    }

    private static bool TryString(JsonElement value, out string? result)
    {
        result = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return result is not null;
    }

    private static bool TryStringList(JsonElement value, out List<string>? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            result = [value.GetString()!];
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        result = list;
        return true;
    }

    /// <summary>Condition values may be strings, numbers or booleans, alone or in a list.</summary>
    private static bool TryScalarList(JsonElement value, out List<string> result)
    {
        result = [];
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (!TryScalar(item, out var text))
                {
                    return false;
                }

                result.Add(text);
            }

            return true;
        }

        if (!TryScalar(value, out var single))
        {
            return false;
        }

        result.Add(single);
        return true;
    }

    private static bool TryScalar(JsonElement value, out string text)
    {
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null!,
        };
        return text is not null;
    }

    private static bool TryConditions(JsonElement value, List<RawCondition> into)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var op in value.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var known = ConditionOperator.TryParse(op.Name, out _, out _, out _);
            foreach (var key in op.Value.EnumerateObject())
            {
                // An unknown operator is only tolerated with nothing under it.
                if (!known || !TryScalarList(key.Value, out var values))
                {
                    return false;
                }

                into.Add(new RawCondition(op.Name, key.Name, values));
            }
        }

        return true;
    }

    private static bool TryPrincipals(JsonElement value, out PolicyPrincipals? principals, out string? invalid)
    {
        principals = null;
        invalid = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (text != "*")
            {
                invalid = text;
            }

            principals = new PolicyPrincipals(true, []);
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var byType = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var type in value.EnumerateObject())
        {
            if (!PrincipalTypes.Contains(type.Name) || !TryStringList(type.Value, out var names) || names!.Count == 0)
            {
                return false;
            }

            byType[type.Name] = names.ToArray();
        }

        principals = new PolicyPrincipals(false, byType);
        return true;
    }

    private sealed record RawDocument(string? Version, string? Id, List<RawStatement> Statements);

    private sealed record RawCondition(string Operator, string Key, List<string> Values);

    private sealed class RawStatement
    {
        public string? Sid;
        public string? Effect;
        public List<string>? Action;
        public List<string>? NotAction;
        public List<string>? Resource;
        public List<string>? NotResource;
        public PolicyPrincipals? Principal;
        public PolicyPrincipals? NotPrincipal;
        public string? InvalidPrincipal;

        public List<RawCondition> Conditions { get; } = [];

        public bool HasPrincipal => Principal is not null || NotPrincipal is not null;

        public List<string>? ActionLike => Action ?? NotAction;

        public List<string>? ResourceLike => Resource ?? NotResource;
    }
}
