using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Core.Parameters.Naming;
using Cairn.Storage.Parameters;

namespace Cairn.Application.Hygiene;

/// <summary>
/// An account's naming rules for parameters (`cairn secrets naming`), authorized as the caller with Cairn's own actions
/// (<see cref="PutAction"/>, <see cref="GetAction"/>, <see cref="DeleteAction"/> on <c>*</c>), and the check
/// PutParameter makes on a name it is about to create.
/// </summary>
public sealed class NamingRuleService(INamingRuleStore store, IAuthorizer authorizer, IAuditLog audit, TimeProvider time)
{
    public const string PutAction = "cairn:PutNamingRule";
    public const string GetAction = "cairn:GetNamingRules";
    public const string DeleteAction = "cairn:DeleteNamingRule";

    /// <summary>The audit note's action when warn mode lets a name through.</summary>
    public const string WarningAction = "cairn:NamingRuleWarning";

    public async Task<NamingRule> PutAsync(RequestContext context, string pattern, string mode, string? pathPrefix, string? example, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(mode);
        var prefix = PrefixOrRoot(pathPrefix);
        var parsedMode = NamingModes.Parse(mode) ?? throw AwsErrors.InvalidNamingMode(mode);
        var compiled = NamingPattern.Parse(pattern);
        if (example is not null && !compiled.IsMatch(example))
        {
            throw AwsErrors.InvalidNamingRule(pattern, $"the example {example} does not fit it.");
        }

        await authorizer.AuthorizeAsync(context, PutAction, "*", cancellationToken);
        var rule = new NamingRule(context.AccountId, prefix, pattern, parsedMode, example ?? compiled.Example(), time.GetUtcNow(), context.Principal.Arn);
        await store.PutAsync(rule, cancellationToken);
        return rule;
    }

    public async Task<IReadOnlyList<NamingRule>> ListAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, GetAction, "*", cancellationToken);
        return await store.ListAsync(context.AccountId, cancellationToken);
    }

    public async Task DeleteAsync(RequestContext context, string? pathPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = PrefixOrRoot(pathPrefix);
        await authorizer.AuthorizeAsync(context, DeleteAction, "*", cancellationToken);
        if (!await store.DeleteAsync(context.AccountId, prefix, cancellationToken))
        {
            throw AwsErrors.NamingRuleNotFound(prefix);
        }
    }

    /// <summary>For the report, not authorized (the report authorizes its own read): the account's rules.</summary>
    public Task<IReadOnlyList<NamingRule>> RulesAsync(string accountId, CancellationToken cancellationToken) => store.ListAsync(accountId, cancellationToken);

    /// <summary>
    /// PutParameter's check of a name it is about to create (never an overwrite, never a read): an enforced rule it
    /// breaks throws ValidationException naming the rule and a name that fits; a warn rule records an audit note and
    /// warns the caller (<see cref="RequestContext.Warnings"/>: the X-Cairn-Warning header).
    /// </summary>
    public async Task CheckNewNameAsync(RequestContext context, ParameterScope scope, ParameterName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(name);
        var rules = await store.ListAsync(context.AccountId, cancellationToken);
        if (NamingRule.For(rules, name.Key) is not { } rule)
        {
            return;
        }

        var pattern = NamingPattern.Parse(rule.Pattern);
        if (pattern.IsMatch(rule.SubjectOf(name.Key)))
        {
            return;
        }

        if (rule.Mode == NamingMode.Enforce)
        {
            throw AwsErrors.NamingRuleViolation(name.Name, rule.Pattern, rule.PathPrefix, rule.Example);
        }

        context.Warnings.Add(AwsErrors.NamingRuleViolation(name.Name, rule.Pattern, rule.PathPrefix, rule.Example).Message
            + " The name was accepted: the rule is in warn mode.");
        audit.Append([new AuditEntry(
            time.GetUtcNow(), context.RequestId, context.Principal.Arn, context.AccessKeyId, context.Region,
            "ssm:PutParameter", WarningAction, scope.ArnFor(name.Key), "None", "NamingRuleViolation", context.SourceIp)]);
    }

    private static string PrefixOrRoot(string? pathPrefix)
    {
        var prefix = string.IsNullOrEmpty(pathPrefix) ? "/" : pathPrefix;
        return NamingRule.IsValidPathPrefix(prefix) ? prefix : throw AwsErrors.InvalidPathPrefix(prefix);
    }
}
