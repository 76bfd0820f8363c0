using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws;
using Cairn.Server.Services.Iam;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Sts;

/// <summary>STS over the Query protocol: GetCallerIdentity and AssumeRole.</summary>
internal sealed class StsService(RoleSessions sessions) : IQueryService
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    private const string ArnPattern = @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";

    public string SigningName => "sts";

    public string XmlNamespace => Namespace;

    public IReadOnlyCollection<string> Operations { get; } = ["GetCallerIdentity", "AssumeRole"];

    public Task<XElement?> InvokeAsync(string action, IReadOnlyDictionary<string, string> parameters, RequestContext context, CancellationToken cancellationToken) =>
        action switch
        {
            "GetCallerIdentity" => Task.FromResult<XElement?>(GetCallerIdentity(context)),
            "AssumeRole" => AssumeRoleAsync(new QueryArgs(parameters), context, cancellationToken),
            _ => throw AwsErrors.InvalidAction("STS", action, "2011-06-15", Operations),
        };

    /// <summary>Needs no permission: AWS answers it even when every action is denied.</summary>
    private static XElement GetCallerIdentity(RequestContext context) =>
        Result("GetCallerIdentity", E("UserId", context.Principal.UserId), E("Account", context.AccountId), E("Arn", context.Principal.Arn));

    private async Task<XElement?> AssumeRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var roleArn = args.Required("RoleArn");
        IamValidation.Length(roleArn, "roleArn", 20, 2048);
        IamValidation.Pattern(roleArn, "roleArn", ArnPattern, IamValidation.ArnRegex());
        var sessionName = args.Required("RoleSessionName");
        IamValidation.Length(sessionName, "roleSessionName", 2, 64);
        IamValidation.Pattern(sessionName, "roleSessionName", @"[\w+=,.@-]*", IamValidation.SessionNameRegex());
        if (args.Get("ExternalId") is { } externalId)
        {
            IamValidation.Length(externalId, "externalId", 2, 1224);
            IamValidation.Pattern(externalId, "externalId", @"[\w+=,.@:\/-]*", IamValidation.ExternalIdRegex());
        }

        var duration = args.Int("DurationSeconds");
        IamValidation.Range(duration, "durationSeconds", 900, 43200);
        var policy = args.Get("Policy");
        if (policy is not null)
        {
            IamValidation.Length(policy, "policy", 1, 2048);
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
