using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private const int DefaultDescribeResults = 10;

    private async Task<JsonObject> DescribeParametersAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.DescribeParameters);
        var scope = ScopeOf(context);
        var legacy = input.Objects("Filters");
        var filters = input.Filters("ParameterFilters");
        if (legacy.Count > 0 && filters.Count > 0)
        {
            throw AwsErrors.FiltersAndParameterFilters();
        }

        if (legacy.Count > 0)
        {
            // The deprecated Filters: Name matches by prefix, Type and KeyId exactly.
            filters = legacy.Select(f =>
            {
                var key = f.RequiredString("Key");
                return new ParameterStringFilter(key, key == "Name" ? ParameterStringFilter.OptionBeginsWith : ParameterStringFilter.OptionEquals, f.Strings("Values"));
            }).ToList();
        }
        else
        {
            ParameterFilters.ValidateForDescribe(filters);
        }

        var maxResults = (int)(input.Long("MaxResults") ?? DefaultDescribeResults);
        if (input.Bool("Shared"))
        {
            // Nothing is shared with this account: Cairn has no resource shares.
            await AuthorizeAsync(context, "ssm:DescribeParameters", scope.AllParametersArn, cancellationToken);
            return new JsonObject { ["Parameters"] = new JsonArray() };
        }

        var (page, nextToken) = await _parameters.DescribeParametersAsync(context, filters, input.String("NextToken"), maxResults, withLabels: false, cancellationToken);
        var parameters = new JsonArray();
        foreach (var listing in page)
        {
            parameters.Add(SsmJson.Metadata(listing.Parameter.Name, scope.ArnFor(listing.Parameter.Key), listing.Parameter.Version));
        }

        var result = new JsonObject { ["Parameters"] = parameters };
        if (nextToken is not null)
        {
            result["NextToken"] = nextToken;
        }

        return result;
    }
}
