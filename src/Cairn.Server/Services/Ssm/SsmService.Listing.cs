using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private const int ListBatch = 100;

    /// <summary>The application service's scan (<see cref="Application.Parameters.ParameterService.ScanAsync"/>): the API and the dashboard list alike.</summary>
    private async Task<(IReadOnlyList<ParameterListing> Page, string? NextToken)> ScanAsync(ParameterScope scope, string keyPrefix, string? nextToken,
        int maxResults, IReadOnlyList<ParameterStringFilter> filters, Func<ParameterListing, bool> include, CancellationToken cancellationToken) =>
        await _parameters.ScanAsync(scope, keyPrefix, nextToken, maxResults, filters, withLabels: false, include, cancellationToken);
}
