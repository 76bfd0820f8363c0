namespace Cairn.Core.Audit;

/// <summary>The authorization decisions of one request, collected as it runs and written to the audit log at its end.</summary>
public sealed class AuditTrail
{
    private readonly List<AuditDecision> _decisions = [];

    public IReadOnlyList<AuditDecision> Decisions
    {
        get
        {
            lock (_decisions)
            {
                return [.. _decisions];
            }
        }
    }

    public void Record(string action, string resource, bool allowed)
    {
        lock (_decisions)
        {
            _decisions.Add(new AuditDecision(action, resource, allowed));
        }
    }
}
