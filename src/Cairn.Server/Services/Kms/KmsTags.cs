using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Keys;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateKey's and TagResource's Tags, after the validator: the rules the model cannot say (the reserved aws: prefix, last one wins).</summary>
internal static class KmsTags
{
    public static List<KeyTag> Read(JsonObject input, string member)
    {
        var result = new List<KeyTag>();
        foreach (var tag in input.Objects(member))
        {
            var key = tag.RequiredString("TagKey");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.KmsReservedTag();
            }

            result.RemoveAll(t => t.TagKey == key);
            result.Add(new KeyTag(key, tag.RequiredString("TagValue")));
        }

        return result;
    }
}
