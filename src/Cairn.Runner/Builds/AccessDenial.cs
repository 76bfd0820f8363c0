using System.Text.RegularExpressions;

namespace Cairn.Runner.Builds;

/// <summary>
/// An AccessDeniedException as AWS words it ("User: &lt;principal&gt; is not authorized to perform: &lt;action&gt; on
/// resource: &lt;arn&gt; ..."), taken apart so a fix can name the principal, the action and the resource.
/// </summary>
public sealed partial record AccessDenial(string Message, string? PrincipalArn, string? Action, string? Resource)
{
    /// <summary>Reads the parts out of AWS's message; the parts are null when the message has another form.</summary>
    public static AccessDenial Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = Pattern().Match(message);
        return match.Success
            ? new AccessDenial(message, match.Groups["principal"].Value, match.Groups["action"].Value, match.Groups["resource"].Value)
            : new AccessDenial(message, null, null, null);
    }

    [GeneratedRegex(@"User: (?<principal>\S+) is not authorized to perform: (?<action>\S+) on resource: (?<resource>[^\s()]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
