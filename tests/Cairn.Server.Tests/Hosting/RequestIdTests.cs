using System.Text.RegularExpressions;
using Cairn.Server.Aws;

namespace Cairn.Server.Tests.Hosting;

public sealed partial class RequestIdTests
{
    [Fact]
    public void Request_ids_are_distinct_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => RequestIds.Next()).ToList();
        Assert.All(ids, id => Assert.Matches(Uuid4(), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Uuid4();
}
