using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>TagResource (a key given again takes the new value) and UntagResource.</summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> TagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.TagResource);
        var tags = TagsOf(input);
        var secret = Writable(await SecretAsync(context, input, "TagResource", cancellationToken));
        await ChangeAsync(context, secret, s =>
        {
            var merged = s.Tags.Where(t => !tags.Any(n => n.Key == t.Key)).Concat(tags.GroupBy(t => t.Key).Select(g => g.Last())).ToList();
            SecretRules.CheckTags(tags.Select(t => t.Key), merged.Count);
            return Writable(s) with { Tags = merged };
        }, cancellationToken);
        return [];
    }

    private async Task<JsonObject> UntagResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.UntagResource);
        var keys = input.Strings("TagKeys").ToHashSet(StringComparer.Ordinal);
        var secret = Writable(await SecretAsync(context, input, "UntagResource", cancellationToken));
        await ChangeAsync(context, secret, s => Writable(s) with { Tags = s.Tags.Where(t => !keys.Contains(t.Key)).ToList() }, cancellationToken);
        return [];
    }
}
