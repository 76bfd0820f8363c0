namespace Cairn.Core.Identity.Policies;

/// <summary>How IAM measures a policy against its size quotas: characters, not counting white space.</summary>
public static class PolicySize
{
    public static int Of(string document)
    {
        var size = 0;
        foreach (var c in document)
        {
            if (!char.IsWhiteSpace(c))
            {
                size++;
            }
        }

        return size;
    }
}
