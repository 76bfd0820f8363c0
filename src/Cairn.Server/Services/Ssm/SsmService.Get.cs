using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private const int DefaultPathResults = 10;
    private const int DefaultHistoryResults = 50;

    private async Task<JsonObject> GetParameterAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.GetParameter);
        if (IsSecretReference(input.RequiredString("Name")))
        {
            return await GetSecretReferenceAsync(input.RequiredString("Name"), input.Bool("WithDecryption"), context, cancellationToken);
        }

        var scope = ScopeOf(context);
        var reference = ParameterReference.Parse(input.RequiredString("Name"));
        await AuthorizeAsync(context, "ssm:GetParameter", scope.ArnFor(reference.Key), cancellationToken);

        var (parameter, version) = await ResolveOrSuggestAsync(context, scope, reference, cancellationToken);
        var value = await ValueForAsync(context, scope, reference.Key, version, input.Bool("WithDecryption"), cancellationToken);
        return new JsonObject
        {
            ["Parameter"] = SsmJson.Parameter(reference.ResponseName(parameter), scope.ArnFor(reference.Key), version, value, reference.Selector),
        };
    }

    private async Task<JsonObject> GetParametersAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        CheckNameCount(input);
        Validate(input, SsmShapes.GetParameters);
        var read = await _parameters.GetParametersAsync(context, input.Strings("Names").ToList(), input.Bool("WithDecryption"), cancellationToken);
        var parameters = new JsonArray(read.Found
            .Select(found => (JsonNode)SsmJson.Parameter(found.Name, found.Arn, found.Version, found.Value, found.Reference.Selector))
            .ToArray());
        return new JsonObject { ["Parameters"] = parameters, ["InvalidParameters"] = SsmJson.Strings(read.Invalid) };
    }

    private async Task<JsonObject> GetParametersByPathAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.GetParametersByPath);
        var scope = ScopeOf(context);
        var path = ParameterPath.Parse(input.RequiredString("Path"));
        var recursive = input.Bool("Recursive");
        var withDecryption = input.Bool("WithDecryption");
        var filters = input.Filters("ParameterFilters");
        ParameterFilters.ValidateForPath(filters);
        var maxResults = (int)(input.Long("MaxResults") ?? DefaultPathResults);
        await AuthorizeAsync(context, "ssm:GetParametersByPath", path.ArnIn(scope), cancellationToken);
        if (PublicParameters.IsPublic(path.KeyPrefix))
        {
            return PublicParametersByPath(scope, path, recursive, filters, input.String("NextToken"), maxResults);
        }

        var labelFilter = filters.FirstOrDefault(f => f.Key == "Label");
        var (page, nextToken) = await ScanAsync(scope, path.KeyPrefix, input.String("NextToken"), maxResults, filters,
            listing => path.Contains(listing.Parameter.Key, recursive) && ParameterFilters.Matches(filters, listing), cancellationToken);

        var parameters = new JsonArray();
        foreach (var listing in page)
        {
            var snapshot = listing.Parameter;
            var version = snapshot.Version;
            if (labelFilter is not null)
            {
                // With a Label filter the labelled version is returned, not the latest.
                var labelled = listing.Labels.Where(l => labelFilter.Values.Contains(l.Key, StringComparer.Ordinal)).Max(l => l.Value);
                version = labelled == snapshot.LatestVersion
                    ? version
                    : await _repository.GetVersionAsync(scope, snapshot.Key, labelled, cancellationToken) ?? version;
            }

            var value = await ValueForAsync(context, scope, snapshot.Key, version, withDecryption, cancellationToken);
            parameters.Add(SsmJson.Parameter(snapshot.Name, scope.ArnFor(snapshot.Key), version, value, null));
        }

        var result = new JsonObject { ["Parameters"] = parameters };
        if (nextToken is not null)
        {
            result["NextToken"] = nextToken;
        }

        return result;
    }

    private async Task<JsonObject> GetParameterHistoryAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.GetParameterHistory);
        var scope = ScopeOf(context);
        var reference = ParameterReference.Parse(input.RequiredString("Name"));
        if (reference.Selector is not null)
        {
            throw AwsErrors.InvalidParameterName();
        }

        var withDecryption = input.Bool("WithDecryption");
        var maxResults = (int)(input.Long("MaxResults") ?? DefaultHistoryResults);
        var after = input.String("NextToken") is { } token ? ParameterPageToken.DecodeVersion(token) : 0;
        await AuthorizeAsync(context, "ssm:GetParameterHistory", scope.ArnFor(reference.Key), cancellationToken);
        if (PublicParameters.IsPublic(reference.Key))
        {
            throw AwsErrors.PublicParameterHistory(input.RequiredString("Name"));
        }

        var (snapshot, _) = await ResolveOrSuggestAsync(context, scope, reference, cancellationToken);
        var versions = await _repository.GetHistoryAsync(scope, snapshot.Key, after, maxResults + 1, cancellationToken);
        var entries = new JsonArray();
        foreach (var version in versions.Take(maxResults))
        {
            var value = await ValueForAsync(context, scope, snapshot.Key, version, withDecryption, cancellationToken);
            entries.Add(SsmJson.History(reference.ResponseName(snapshot), version, value));
        }

        var result = new JsonObject { ["Parameters"] = entries };
        if (versions.Count > maxResults)
        {
            result["NextToken"] = ParameterPageToken.Encode(versions[maxResults - 1].Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }
}
