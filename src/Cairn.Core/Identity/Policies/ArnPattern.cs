namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A Resource entry or ArnLike value: compared segment by segment (the colon-separated parts of an ARN, the
/// sixth taking the rest), each segment case-sensitive with <c>*</c> and <c>?</c>; a lone <c>*</c> matches any resource.
/// A pattern with fewer segments lets its last one match the rest of the ARN (e.g. <c>arn:aws:ssm:*</c>).
/// </summary>
internal sealed class ArnPattern
{
    private const int ArnSegments = 6;

    private readonly TemplatePattern[] _segments;
    private readonly bool _everything;

    public ArnPattern(PolicyTemplate template)
    {
        Text = template.Text;
        _everything = template.Text == "*";
        _segments = template.SplitSegments(ArnSegments).Select(s => new TemplatePattern(s, ignoreCase: false)).ToArray();
    }

    public string Text { get; }

    public bool IsMatch(string value, ConditionContext context)
    {
        if (_everything)
        {
            return true;
        }

        var start = 0;
        for (var segment = 0; segment < _segments.Length; segment++)
        {
            int end;
            if (segment == _segments.Length - 1)
            {
                end = value.Length;
            }
            else
            {
                end = value.IndexOf(':', start);
                if (end < 0)
                {
                    return false;
                }
            }

            if (!_segments[segment].IsMatch(value.AsSpan(start, end - start), context))
            {
                return false;
            }

            start = end + 1;
        }

        return true;
    }
}
