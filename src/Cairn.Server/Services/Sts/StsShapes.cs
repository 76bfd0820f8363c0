using System.Text.RegularExpressions;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Sts;

/// <summary>
/// STS's input shapes, transcribed from the service model (aws-models/sts). Members are listed in the order Cairn
/// reports the first failure in; members Cairn ignores are not checked.
/// </summary>
internal static partial class StsShapes
{
    public static readonly StructureShape AssumeRole = new(
        new MemberShape("RoleArn", new StringShape(20, 2048,
            @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+", Matcher: ArnRegex()), true),
        new MemberShape("RoleSessionName", new StringShape(2, 64, @"[\w+=,.@-]*", Matcher: SessionNameRegex()), true),
        new MemberShape("ExternalId", new StringShape(2, 1224, @"[\w+=,.@:\/-]*", Matcher: ExternalIdRegex())),
        new MemberShape("DurationSeconds", new NumberShape(900, 43200)),

        // The model bounds only the minimum; 2048 is the packed size AWS enforces for a session policy.
        new MemberShape("Policy", new StringShape(1, 2048)));

    public static readonly StructureShape AssumeRoleWithWebIdentity = new(
        new MemberShape("RoleArn", new StringShape(20, 2048,
            @"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+", Matcher: ArnRegex()), true),
        new MemberShape("RoleSessionName", new StringShape(2, 64, @"[\w+=,.@-]*", Matcher: SessionNameRegex()), true),
        new MemberShape("WebIdentityToken", new StringShape(4, 20000, Sensitive: true), true),
        new MemberShape("DurationSeconds", new NumberShape(900, 43200)),
        new MemberShape("Policy", new StringShape(1, 2048)));

    public static readonly StructureShape GetSessionToken = new(
        new MemberShape("DurationSeconds", new NumberShape(900, 129600)),
        new MemberShape("SerialNumber", new StringShape(9, 256, @"[\w+=/:,.@-]*", Matcher: SerialNumberRegex())),
        new MemberShape("TokenCode", new StringShape(6, 6, @"[\d]*", Matcher: TokenCodeRegex())));

    public static readonly StructureShape GetAccessKeyInfo = new(
        new MemberShape("AccessKeyId", new StringShape(16, 128, @"[\w]*", Matcher: AccessKeyIdRegex()), true));

    [GeneratedRegex(@"^[A-Za-z0-9_+=/:,.@-]*$")]
    private static partial Regex SerialNumberRegex();

    [GeneratedRegex(@"^[0-9]*$")]
    private static partial Regex TokenCodeRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_]*$")]
    private static partial Regex AccessKeyIdRegex();

    // arnType: no control characters (other than tab, LF, CR) and no lone surrogates; .NET has no \u10000.
    [GeneratedRegex(@"^(?:[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])+$")]
    private static partial Regex ArnRegex();

    // AWS's \w is ASCII; .NET's matches every Unicode letter and digit, hence the explicit classes.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*$")]
    private static partial Regex SessionNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]*$")]
    private static partial Regex ExternalIdRegex();
}
