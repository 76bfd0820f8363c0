using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws;
using Cairn.Server.Services.Sts;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>
/// <c>POST /_cairn/build-role</c> (form: RoleArn, RoleSessionName, DurationSeconds), SigV4-signed: a role session for a
/// build that `cairn build --endpoint-url` runs, made as CodeBuild makes one. The caller must be allowed
/// <c>iam:PassRole</c> on the role (AWS's rule for handing a role to CodeBuild) and the role's trust policy must name
/// codebuild.amazonaws.com: the same rule as a build over --data or through StartBuild. Answers in STS AssumeRole's shape.
/// Authenticated and audited as every API call is (<see cref="RequestPipeline"/>).
/// </summary>
internal sealed class BuildRoleEndpoint(RequestPipeline pipeline, IAuthorizer authorizer, IRoleAssumer roles)
{
    public const string Operation = "cairn:AssumeBuildRole";

    public const string Path = "/_cairn/build-role";
    public const string CodeBuildService = "codebuild.amazonaws.com";
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(2160 + 60);

    public static bool Matches(HttpRequest request) => HttpMethods.IsPost(request.Method) && request.Path.Equals(Path, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var started = pipeline.Start();
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, cancellationToken);
        var bytes = body.ToArray();
        var requestId = RequestIds.Next();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        RequestContext? context = null;
        string? errorCode = null;
        try
        {
            var auth = await pipeline.AuthenticateAsync(RequestPipeline.Capture(http, bytes), cancellationToken);
            context = pipeline.ContextOf(http, auth, requestId);
            var form = System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(bytes));
            var roleArn = form["RoleArn"] is { Length: > 0 } arn ? arn : throw AwsErrors.MissingParameter("RoleArn");
            var sessionName = form["RoleSessionName"] is { Length: > 0 } name ? name : throw AwsErrors.MissingParameter("RoleSessionName");
            var duration = int.TryParse(form["DurationSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(Math.Min(seconds, MaxDuration.TotalSeconds))
                : TimeSpan.FromHours(1);
            await authorizer.AuthorizeAsync(context, new AccessRequest("iam:PassRole", roleArn)
            {
                Conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["iam:PassedToService"] = CodeBuildService },
            }, cancellationToken);
            var session = await roles.AssumeRoleAsServiceAsync(roleArn, CodeBuildService, sessionName, duration, cancellationToken);
            var result = new XElement("AssumeRoleResult",
                new XElement("Credentials",
                    new XElement("AccessKeyId", session.AccessKeyId), new XElement("SecretAccessKey", session.SecretAccessKey),
                    new XElement("SessionToken", session.SessionToken), new XElement("Expiration", session.Expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))),
                new XElement("AssumedRoleUser", new XElement("AssumedRoleId", session.AssumedRoleId), new XElement("Arn", session.AssumedRoleArn)));
            await AwsProtocolWriter.WriteQueryAsync(http.Response, "AssumeRole", StsService.Namespace, result, requestId, cancellationToken);
        }
        catch (AwsException error)
        {
            errorCode = error.Code;
            await AwsProtocolWriter.WriteQueryErrorAsync(http.Response, StsService.Namespace, error, requestId, CancellationToken.None);
        }
        finally
        {
            pipeline.Finish(http, requestId, context, Operation, "iam:PassRole", errorCode, started);
        }
    }
}
