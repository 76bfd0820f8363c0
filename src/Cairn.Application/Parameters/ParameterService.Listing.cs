using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Application.Parameters;

public sealed partial class ParameterService
{
    private const int ListBatch = 100;

    // Like AWS, a page stops after a bounded amount of work: it may come back short (even empty) with a NextToken.
    private const int MaxScannedPerPage = 1000;

    /// <summary>
    /// DescribeParameters: metadata of the parameters <paramref name="filters"/> match (checked as DescribeParameters
    /// checks them), in name order, a page at a time; authorized on every parameter of the account and region, as SSM
    /// does. Never a value. <paramref name="withLabels"/> reads each parameter's labels too.
    /// </summary>
    public async Task<(IReadOnlyList<ParameterListing> Page, string? NextToken)> DescribeParametersAsync(
        RequestContext context, IReadOnlyList<ParameterStringFilter> filters, string? nextToken, int maxResults, bool withLabels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filters);
        var scope = ScopeOf(context);
        await authorizer.AuthorizeAsync(context, "ssm:DescribeParameters", scope.AllParametersArn, cancellationToken);
        return await ScanAsync(scope, string.Empty, nextToken, maxResults, filters, withLabels, listing => ParameterFilters.Matches(filters, listing), cancellationToken);
    }

    /// <summary>
    /// Walks live parameters under a key prefix in key order, keeping those <paramref name="include"/> accepts; not
    /// authorized (the caller authorized its operation). Only the key spans a Path or Name (Equals, BeginsWith) filter
    /// allows are read (<see cref="ParameterKeyRange.For"/>), each as an index range, in batches sized to what the page
    /// still needs: a page reads rows in proportion to its results, not to the store. Tags and labels are read only
    /// when <paramref name="filters"/> look at them (a tag filter, a Label filter) or <paramref name="withLabels"/> asks
    /// for labels.
    /// </summary>
    public async Task<(IReadOnlyList<ParameterListing> Page, string? NextToken)> ScanAsync(ParameterScope scope, string keyPrefix, string? nextToken,
        int maxResults, IReadOnlyList<ParameterStringFilter> filters, bool withLabels, Func<ParameterListing, bool> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(include);
        var withTags = filters.Any(f => f.IsTag);
        withLabels |= filters.Any(f => f.Key == "Label");
        var after = nextToken is null ? null : ParameterPageToken.Decode(nextToken);
        var spans = ParameterKeyRange.For(keyPrefix, filters);
        var page = new List<ParameterListing>();
        var scanned = 0;

        // One more row than the page needs tells whether there is more; doubled (up to ListBatch) while rows don't match.
        var batchSize = Math.Clamp(maxResults + 1, 2, ListBatch);
        for (var s = 0; s < spans.Count; s++)
        {
            var span = spans[s];
            if (after is not null && span.EndsAtOrBefore(after))
            {
                continue;
            }

            while (true)
            {
                // The smallest key starting with an exact span's key is that key: one row says whether it exists.
                var limit = span.Exact ? 1 : batchSize;
                var batch = await repository.ListAsync(scope, new ParameterListQuery(span.Prefix, after, limit, time.GetUtcNow(), withTags, withLabels), cancellationToken);
                if (span.Exact && batch.Count > 0 && batch[0].Parameter.Key != span.Prefix)
                {
                    // A longer key: outside the span, and it must not move the page past a later span's key.
                    batch = [];
                }

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
                        var mayHaveMore = i < batch.Count - 1 || batch.Count == limit || s < spans.Count - 1;
                        return (page, mayHaveMore ? ParameterPageToken.Encode(after) : null);
                    }
                }

                if (span.Exact || batch.Count < limit)
                {
                    break;
                }

                batchSize = Math.Min(batchSize * 2, ListBatch);
            }
        }

        return (page, null);
    }
}
