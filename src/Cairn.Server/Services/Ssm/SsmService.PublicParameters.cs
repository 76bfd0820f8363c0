using System.Text.Json.Nodes;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

/// <summary>
/// GetParametersByPath under <c>/aws/service/</c>: AWS's public parameters (<see cref="PublicParameters"/>), the same for
/// every account, in key order, paged by the last key returned. GetParameter(s) read them through
/// <see cref="Application.Parameters.ParameterService.ResolveAsync"/>.
/// </summary>
internal sealed partial class SsmService
{
    private static JsonObject PublicParametersByPath(
        ParameterScope scope, ParameterPath path, bool recursive, IReadOnlyList<ParameterStringFilter> filters, string? nextToken, int maxResults)
    {
        var after = nextToken is null ? null : ParameterPageToken.Decode(nextToken);
        var matching = PublicParameters.All(scope.Region)
            .Where(p => path.Contains(p.Key, recursive) && (after is null || string.CompareOrdinal(p.Key, after) > 0))
            .Where(p => ParameterFilters.Matches(filters, new ParameterListing(p, new Dictionary<string, string>(), new Dictionary<string, long>())))
            .Take(maxResults + 1)
            .ToList();
        var page = matching.Take(maxResults).ToList();
        var result = new JsonObject
        {
            ["Parameters"] = new JsonArray(page.Select(p => (JsonNode)SsmJson.Parameter(p.Name, scope.ArnFor(p.Key), p.Version, p.Version.Value, null)).ToArray()),
        };
        if (matching.Count > maxResults)
        {
            result["NextToken"] = ParameterPageToken.Encode(page[^1].Key);
        }

        return result;
    }
}
