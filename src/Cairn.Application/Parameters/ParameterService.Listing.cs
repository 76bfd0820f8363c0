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
    /// authorized (the caller authorized its operation). Tags and labels are read only when <paramref name="filters"/>
    /// look at them (a tag filter, a Label filter) or <paramref name="withLabels"/> asks for labels.
    /// </summary>
    public async Task<(IReadOnlyList<ParameterListing> Page, string? NextToken)> ScanAsync(ParameterScope scope, string keyPrefix, string? nextToken,
        int maxResults, IReadOnlyList<ParameterStringFilter> filters, bool withLabels, Func<ParameterListing, bool> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(include);
        var withTags = filters.Any(f => f.IsTag);
        withLabels |= filters.Any(f => f.Key == "Label");
        var after = nextToken is null ? null : ParameterPageToken.Decode(nextToken);
        var page = new List<ParameterListing>();
        var scanned = 0;
        while (true)
        {
            var batch = await repository.ListAsync(scope, new ParameterListQuery(keyPrefix, after, ListBatch, time.GetUtcNow(), withTags, withLabels), cancellationToken);
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
