using System.Xml.Linq;
using Cairn.Application.Identity;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Managed policies (customer managed, and the AWS managed ones Cairn ships), versions and tags.</summary>
internal sealed partial class IamService
{
    private void RegisterPolicies()
    {
        On("CreatePolicy", CreatePolicyAsync);
        On("GetPolicy", GetPolicyAsync);
        On("ListPolicies", ListPoliciesAsync);
        On("DeletePolicy", DeletePolicyAsync);
        On("CreatePolicyVersion", CreatePolicyVersionAsync);
        On("GetPolicyVersion", GetPolicyVersionAsync);
        On("ListPolicyVersions", ListPolicyVersionsAsync);
        On("DeletePolicyVersion", DeletePolicyVersionAsync);
        On("SetDefaultPolicyVersion", SetDefaultPolicyVersionAsync);
        On("TagPolicy", TagPolicyAsync);
        On("UntagPolicy", UntagPolicyAsync);
        On("ListPolicyTags", ListPolicyTagsAsync);
    }

    private async Task<XElement?> CreatePolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("PolicyName");
        var path = args.Get("Path") ?? "/";
        var document = args.Required("PolicyDocument");
        var description = args.Get("Description");
        var tags = IamTags.EnsureUniqueKeys(args.Tags());
        var arn = Arn(context.AccountId, "policy", path, name);
        await AuthorizeAsync(context, "CreatePolicy", arn, cancellationToken);
        CheckManagedPolicy(document);

        var now = Now;
        var policy = new ManagedPolicyInfo(arn, context.AccountId, name, IdentityIds.PolicyId(), path, "v1", description, now, now);
        await _store.CreatePolicyAsync(policy, document, tags, cancellationToken);
        return Result("CreatePolicy", new XElement("Policy", Policy(policy, 0, tags.Count > 0 ? tags : null)));
    }

    private async Task<XElement?> GetPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "GetPolicy", arn, cancellationToken);
        var policy = await FindPolicyAsync(arn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(arn);
        var tags = policy.IsAwsManaged ? [] : await _store.ListTagsAsync(context.AccountId, IamEntityKind.Policy, arn, cancellationToken);
        return Result("GetPolicy", new XElement("Policy", Policy(policy, await AttachmentCountAsync(context, arn, cancellationToken), tags)));
    }

    private async Task<XElement?> ListPoliciesAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListPolicies", Arn(context.AccountId, "policy", "/", string.Empty), cancellationToken);
        var scope = args.Get("Scope") ?? "All";
        IEnumerable<ManagedPolicyInfo> policies = scope switch
        {
            "AWS" => AwsManagedPolicies.All,
            "Local" => await _store.ListPoliciesAsync(context.AccountId, cancellationToken),
            _ => AwsManagedPolicies.All.Concat(await _store.ListPoliciesAsync(context.AccountId, cancellationToken)),
        };
        var withCounts = new List<(ManagedPolicyInfo Policy, int Count)>();
        foreach (var policy in WithPathPrefix(policies, args, p => p.Path))
        {
            withCounts.Add((policy, await AttachmentCountAsync(context, policy.Arn, cancellationToken)));
        }

        var counted = withCounts
            .Where(p => args.Bool("OnlyAttached") != true || p.Count > 0)
            .OrderBy(p => p.Policy.PolicyName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var (page, paging) = Page(counted, args);
        return Result("ListPolicies", Members("Policies", page.Select(p => Policy(p.Policy, p.Count))), paging);
    }

    private async Task<XElement?> DeletePolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "DeletePolicy", arn, cancellationToken);
        RejectAwsManaged(arn);
        await _store.DeletePolicyAsync(OwnPolicy(context, arn), cancellationToken);
        return null;
    }

    private async Task<XElement?> CreatePolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var document = args.Required("PolicyDocument");
        await AuthorizeAsync(context, "CreatePolicyVersion", arn, cancellationToken);
        RejectAwsManaged(arn);
        CheckManagedPolicy(document);
        var version = await _store.CreatePolicyVersionAsync(OwnPolicy(context, arn), document, args.Bool("SetAsDefault") == true, MaxPolicyVersions, Now, cancellationToken);
        return Result("CreatePolicyVersion", new XElement("PolicyVersion", Version(version, withDocument: false)));
    }

    private async Task<XElement?> GetPolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var versionId = args.Required("VersionId");
        await AuthorizeAsync(context, "GetPolicyVersion", arn, cancellationToken);
        var version = (AwsManagedPolicies.IsAwsManagedArn(arn) ? AwsManagedPolicies.FindVersion(arn, versionId) : await _store.FindPolicyVersionAsync(OwnPolicy(context, arn), versionId, cancellationToken))
            ?? throw AwsErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist.");
        return Result("GetPolicyVersion", new XElement("PolicyVersion", Version(version, withDocument: true)));
    }

    private async Task<XElement?> ListPolicyVersionsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "ListPolicyVersions", arn, cancellationToken);
        IReadOnlyList<PolicyVersionInfo> versions = AwsManagedPolicies.IsAwsManagedArn(arn)
            ? AwsManagedPolicies.FindVersion(arn) is { } only ? [only] : throw AwsErrors.NoSuchPolicy(arn)
            : await FindPolicyAsync(arn, cancellationToken) is not null ? await _store.ListPolicyVersionsAsync(arn, cancellationToken) : throw AwsErrors.NoSuchPolicy(arn);
        var (page, paging) = Page(versions, args);
        return Result("ListPolicyVersions", Members("Versions", page.Select(v => Version(v, withDocument: false))), paging);
    }

    private async Task<XElement?> DeletePolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var versionId = args.Required("VersionId");
        await AuthorizeAsync(context, "DeletePolicyVersion", arn, cancellationToken);
        RejectAwsManaged(arn);
        await _store.DeletePolicyVersionAsync(OwnPolicy(context, arn), versionId, cancellationToken);
        return null;
    }

    private async Task<XElement?> SetDefaultPolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var versionId = args.Required("VersionId");
        await AuthorizeAsync(context, "SetDefaultPolicyVersion", arn, cancellationToken);
        RejectAwsManaged(arn);
        await _store.SetDefaultPolicyVersionAsync(OwnPolicy(context, arn), versionId, Now, cancellationToken);
        return null;
    }

    private async Task<XElement?> TagPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var tags = IamTags.EnsureUniqueKeys(args.Tags());
        await AuthorizeAsync(context, "TagPolicy", arn, cancellationToken);
        RejectAwsManaged(arn);
        await _store.TagAsync(context.AccountId, IamEntityKind.Policy, arn, tags, MaxTags, cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "UntagPolicy", arn, cancellationToken);
        RejectAwsManaged(arn);
        await _store.UntagAsync(context.AccountId, IamEntityKind.Policy, arn, args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListPolicyTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "ListPolicyTags", arn, cancellationToken);
        _ = await FindPolicyAsync(arn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(arn);
        var (tags, paging) = Page(await _store.ListTagsAsync(context.AccountId, IamEntityKind.Policy, arn, cancellationToken), args);
        return Result("ListPolicyTags", Tags(tags), paging);
    }

    private async Task<ManagedPolicyInfo?> FindPolicyAsync(string arn, CancellationToken cancellationToken) =>
        AwsManagedPolicies.IsAwsManagedArn(arn) ? AwsManagedPolicies.Find(arn) : await _store.FindPolicyAsync(arn, cancellationToken);

    /// <summary>A customer managed policy ARN must belong to the caller's account.</summary>
    private static string OwnPolicy(RequestContext context, string arn) =>
        arn.StartsWith($"arn:aws:iam::{context.AccountId}:policy/", StringComparison.Ordinal) ? arn : throw AwsErrors.NoSuchPolicy(arn);

    private async Task<int> AttachmentCountAsync(RequestContext context, string arn, CancellationToken cancellationToken) =>
        (await _store.ListEntitiesForPolicyAsync(context.AccountId, arn, cancellationToken)).Count;

    private static string PolicyArnArg(QueryArgs args)
    {
        var arn = args.Required("PolicyArn");
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":policy/", StringComparison.Ordinal))
        {
            throw AwsErrors.InvalidInput($"ARN {arn} is not valid.");
        }

        return arn;
    }

    private static void RejectAwsManaged(string arn)
    {
        if (AwsManagedPolicies.IsAwsManagedArn(arn))
        {
            throw AwsErrors.UnmodifiableEntity($"Cannot modify the AWS managed policy {arn}.");
        }
    }

    private static void CheckManagedPolicy(string document)
    {
        ParsePolicy(document, PolicyKind.Managed);
        if (PolicySize.Of(document) > MaxManagedPolicySize)
        {
            throw AwsErrors.Quota("PolicySize", MaxManagedPolicySize);
        }
    }
}
