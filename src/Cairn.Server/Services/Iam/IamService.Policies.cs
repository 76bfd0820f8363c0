using System.Xml.Linq;
using Cairn.Application.Identity;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Managed policies (customer managed, and the AWS managed ones Cairn ships), versions and tags; adapters over <see cref="ManagedPolicyService"/>.</summary>
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
        var tags = IamTags.EnsureUniqueKeys(args.Tags());
        var document = args.Required("PolicyDocument");
        IamValidation.Length(document, "policyDocument", 1, 131072);
        var policy = await _policies.CreatePolicyAsync(
            context, args.Required("PolicyName"), args.Get("Path"), document, args.Get("Description"), tags, cancellationToken);
        return Result("CreatePolicy", new XElement("Policy", Policy(policy, 0, tags.Count > 0 ? tags : null)));
    }

    private async Task<XElement?> GetPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (policy, count, tags) = await _policies.GetPolicyAsync(context, PolicyArnArg(args), cancellationToken);
        return Result("GetPolicy", new XElement("Policy", Policy(policy, count, tags)));
    }

    private async Task<XElement?> ListPoliciesAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var counted = await _policies.ListPoliciesAsync(context, args.Get("Scope"), args.Get("PathPrefix"), args.Bool("OnlyAttached") == true, cancellationToken);
        var (page, paging) = Page(counted, args);
        return Result("ListPolicies", Members("Policies", page.Select(p => Policy(p.Policy, p.AttachmentCount))), paging);
    }

    private async Task<XElement?> DeletePolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _policies.DeletePolicyAsync(context, PolicyArnArg(args), cancellationToken);
        return null;
    }

    private async Task<XElement?> CreatePolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var document = args.Required("PolicyDocument");
        IamValidation.Length(document, "policyDocument", 1, 131072);
        var version = await _policies.CreatePolicyVersionAsync(context, arn, document, args.Bool("SetAsDefault") == true, cancellationToken);
        return Result("CreatePolicyVersion", new XElement("PolicyVersion", Version(version, withDocument: false)));
    }

    private async Task<XElement?> GetPolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        var version = await _policies.GetPolicyVersionAsync(context, arn, args.Required("VersionId"), cancellationToken);
        return Result("GetPolicyVersion", new XElement("PolicyVersion", Version(version, withDocument: true)));
    }

    private async Task<XElement?> ListPolicyVersionsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (page, paging) = Page(await _policies.ListPolicyVersionsAsync(context, PolicyArnArg(args), cancellationToken), args);
        return Result("ListPolicyVersions", Members("Versions", page.Select(v => Version(v, withDocument: false))), paging);
    }

    private async Task<XElement?> DeletePolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await _policies.DeletePolicyVersionAsync(context, arn, args.Required("VersionId"), cancellationToken);
        return null;
    }

    private async Task<XElement?> SetDefaultPolicyVersionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await _policies.SetDefaultPolicyVersionAsync(context, arn, args.Required("VersionId"), cancellationToken);
        return null;
    }

    private async Task<XElement?> TagPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await _policies.TagPolicyAsync(context, arn, IamTags.EnsureUniqueKeys(args.Tags()), cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await _policies.UntagPolicyAsync(context, arn, args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListPolicyTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (tags, paging) = Page(await _policies.ListPolicyTagsAsync(context, PolicyArnArg(args), cancellationToken), args);
        return Result("ListPolicyTags", Tags(tags), paging);
    }

    private static string PolicyArnArg(QueryArgs args) => ManagedPolicyService.CheckPolicyArn(args.Required("PolicyArn"));
}
