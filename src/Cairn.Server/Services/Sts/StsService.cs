using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws;
using Cairn.Server.Aws.Validation;
using Cairn.Server.Services.Iam;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Sts;

/// <summary>
/// STS over the Query protocol: GetCallerIdentity, AssumeRole, AssumeRoleWithWebIdentity (unsigned, as on AWS: the
/// request handler lets it through without a signature), GetSessionToken and GetAccessKeyInfo.
/// </summary>
internal sealed class StsService(RoleSessions sessions, ICredentialResolver credentials) : IQueryService
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    public string SigningName => "sts";

    public string XmlNamespace => Namespace;

    public IReadOnlyCollection<string> Operations { get; } = ["GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetAccessKeyInfo"];

    public IReadOnlyCollection<string> UnsignedOperations { get; } = ["AssumeRoleWithWebIdentity"];

    public Task<XElement?> InvokeAsync(string action, IReadOnlyDictionary<string, string> parameters, RequestContext context, CancellationToken cancellationToken)
    {
        // GetSessionToken's credentials reach only AssumeRole and GetCallerIdentity of STS (GetSessionToken itself says so in AWS's words).
        if (context.Principal.FromSessionToken && action is not ("GetCallerIdentity" or "AssumeRole" or "GetSessionToken") && Operations.Contains(action))
        {
            throw AwsErrors.SessionTokenCannotCallSts(action);
        }

        return action switch
        {
            "GetCallerIdentity" => Task.FromResult<XElement?>(GetCallerIdentity(context)),
            "AssumeRole" => AssumeRoleAsync(new QueryArgs(parameters), context, cancellationToken),
            "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentityAsync(new QueryArgs(parameters), context, cancellationToken),
            "GetSessionToken" => GetSessionTokenAsync(new QueryArgs(parameters), context, cancellationToken),
            "GetAccessKeyInfo" => GetAccessKeyInfoAsync(new QueryArgs(parameters), cancellationToken),
            _ => throw AwsErrors.InvalidAction("STS", action, "2011-06-15", Operations),
        };
    }

    /// <summary>Needs no permission: AWS says policies cannot control this authentication operation.</summary>
    private async Task<XElement?> GetSessionTokenAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        QueryValidator.Validate(args.Values, StsShapes.GetSessionToken);
        if (args.Get("SerialNumber") is not null || args.Get("TokenCode") is not null)
        {
            throw AwsErrors.NoMfaDevices();
        }

        var session = await sessions.GetSessionTokenAsync(context, args.Int("DurationSeconds"), cancellationToken);
        return Result("GetSessionToken",
            new XElement("Credentials",
                E("AccessKeyId", session.AccessKeyId), E("SecretAccessKey", session.SecretAccessKey),
                E("SessionToken", session.SessionToken), E("Expiration", session.Expiration)));
    }

    /// <summary>Needs no permission beyond a valid signature: the account of a root, IAM user or STS session key.</summary>
    private async Task<XElement?> GetAccessKeyInfoAsync(QueryArgs args, CancellationToken cancellationToken)
    {
        QueryValidator.Validate(args.Values, StsShapes.GetAccessKeyInfo);
        var accessKeyId = args.Required("AccessKeyId");
        var found = await credentials.FindAsync(accessKeyId, cancellationToken) ?? throw AwsErrors.UnknownAccessKey(accessKeyId);
        return Result("GetAccessKeyInfo", E("Account", found.Principal.AccountId));
    }

    /// <summary>Needs no permission: AWS answers it even when every action is denied.</summary>
    private static XElement GetCallerIdentity(RequestContext context) =>
        Result("GetCallerIdentity", E("UserId", context.Principal.UserId), E("Account", context.AccountId), E("Arn", context.Principal.Arn));

    /// <summary>Needs no permission and no signature: the token and the role's trust policy decide.</summary>
    private async Task<XElement?> AssumeRoleWithWebIdentityAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        QueryValidator.Validate(args.Values, StsShapes.AssumeRoleWithWebIdentity);
        var policy = args.Get("Policy");
        if (policy is not null)
        {
            PolicyDocument.Parse(policy, PolicyKind.Inline);
        }

        var result = await sessions.AssumeRoleWithWebIdentityAsync(
            context, args.Required("RoleArn"), args.Required("RoleSessionName"), args.Required("WebIdentityToken"), args.Int("DurationSeconds"), policy,
            cancellationToken);
        var session = result.Session;
        return Result("AssumeRoleWithWebIdentity",
            new XElement("Credentials",
                E("AccessKeyId", session.AccessKeyId), E("SecretAccessKey", session.SecretAccessKey),
                E("SessionToken", session.SessionToken), E("Expiration", session.Expiration)),
            E("SubjectFromWebIdentityToken", result.Subject),
            new XElement("AssumedRoleUser", E("AssumedRoleId", session.AssumedRoleId), E("Arn", session.AssumedRoleArn)),
            E("Provider", result.Provider), E("Audience", result.Audience), E("SourceIdentity", result.SourceIdentity));
    }

    private async Task<XElement?> AssumeRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        QueryValidator.Validate(args.Values, StsShapes.AssumeRole);
        var roleArn = args.Required("RoleArn");
        var sessionName = args.Required("RoleSessionName");
        var duration = args.Int("DurationSeconds");
        var policy = args.Get("Policy");
        if (policy is not null)
        {
            PolicyDocument.Parse(policy, PolicyKind.Inline);
        }

        var session = await sessions.AssumeRoleAsync(context, roleArn, sessionName, duration, policy, args.Get("ExternalId"), cancellationToken);
        return Result("AssumeRole",
            new XElement("Credentials",
                E("AccessKeyId", session.AccessKeyId), E("SecretAccessKey", session.SecretAccessKey),
                E("SessionToken", session.SessionToken), E("Expiration", session.Expiration)),
            new XElement("AssumedRoleUser", E("AssumedRoleId", session.AssumedRoleId), E("Arn", session.AssumedRoleArn)));
    }
}
