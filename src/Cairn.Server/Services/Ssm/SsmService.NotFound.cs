using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    // A miss reads at most this many names for a did-you-mean: bounded work however large the store.
    private const int MaxSuggestionCandidates = 2000;

    /// <summary>
    /// ParameterNotFound naming <paramref name="asked"/> (the name with its selector, if any) and, when one exists, a name
    /// close to <paramref name="name"/> in the same account and region. The close name is shown only to a caller allowed
    /// ssm:DescribeParameters, which lists every name anyway.
    /// </summary>
    private Task<AwsException> ParameterNotFoundAsync(RequestContext context, ParameterScope scope, string name, CancellationToken cancellationToken) =>
        ParameterNotFoundAsync(context, scope, name, name, cancellationToken);

    private async Task<AwsException> ParameterNotFoundAsync(RequestContext context, ParameterScope scope, string name, string asked, CancellationToken cancellationToken)
    {
        var suggestion = await SuggestNameAsync(scope, name, cancellationToken);
        if (suggestion is not null)
        {
            try
            {
                await AuthorizeAsync(context, "ssm:DescribeParameters", scope.AllParametersArn, cancellationToken);
            }
            catch (AwsException error) when (error.IsAccessDenied)
            {
                suggestion = null;
            }
        }

        return AwsErrors.ParameterNotFound(asked, suggestion);
    }

    /// <summary><see cref="ResolveAsync"/>, with a did-you-mean when the parameter is missing.</summary>
    private async Task<(ParameterSnapshot Parameter, ParameterVersion Version)> ResolveOrSuggestAsync(
        RequestContext context, ParameterScope scope, ParameterReference reference, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveAsync(scope, reference, cancellationToken);
        }
        catch (AwsException error) when (error.Code == "ParameterNotFound" && !reference.IsOutside(scope))
        {
            throw await ParameterNotFoundAsync(context, scope, reference.Name, reference.Asked, cancellationToken);
        }
    }

    private async Task<string?> SuggestNameAsync(ParameterScope scope, string missing, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? after = null;
        while (names.Count < MaxSuggestionCandidates)
        {
            var batch = await _repository.ListAsync(scope, new ParameterListQuery("", after, ListBatch, Now, WithTags: false, WithLabels: false), cancellationToken);
            names.AddRange(batch.Select(listing => listing.Parameter.Name));
            if (batch.Count < ListBatch)
            {
                break;
            }

            after = batch[^1].Parameter.Key;
        }

        return ParameterNameSuggestion.Closest(missing, names);
    }
}
