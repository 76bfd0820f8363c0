using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private const int ListBatch = 100;

    // Like AWS, a page stops after a bounded amount of work: it may come back short (even empty) with a NextToken.
    private const int MaxScannedPerPage = 1000;

    /// <summary>
    /// Walks live parameters under a key prefix in key order, keeping those <paramref name="include"/> accepts. Tags and
    /// labels are read only when <paramref name="filters"/> look at them (a tag filter, a Label filter).
    /// </summary>
    private async Task<(List<ParameterListing> Page, string? NextToken)> ScanAsync(ParameterScope scope, string keyPrefix, string? nextToken,
        int maxResults, IReadOnlyList<ParameterStringFilter> filters, Func<ParameterListing, bool> include, CancellationToken cancellationToken)
    {
        var withTags = filters.Any(f => f.IsTag);
        var withLabels = filters.Any(f => f.Key == "Label");
        var after = nextToken is null ? null : ParameterPageToken.Decode(nextToken);
        var page = new List<ParameterListing>();
        var scanned = 0;
        while (true)
        {
            var batch = await _repository.ListAsync(scope, new ParameterListQuery(keyPrefix, after, ListBatch, Now, withTags, withLabels), cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var listing = batch[i];
                after = listing.Parameter.Key;
                scanned++;
                if (include(listing))
                {
                    page.Add(listing);
                }

                if (page.Count == maxResults || scanned >= MaxScannedPerPage)
                {
                    var mayHaveMore = i < batch.Count - 1 || batch.Count == ListBatch;
                    return (page, mayHaveMore ? ParameterPageToken.Encode(after) : null);
                }
            }

            if (batch.Count < ListBatch)
            {
                return (page, null);
            }
        }
    }
}
