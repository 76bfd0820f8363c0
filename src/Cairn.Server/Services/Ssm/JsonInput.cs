using System.Text.Json.Nodes;
using Cairn.Core.Parameters;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Ssm;

/// <summary>Reads Parameter Store's structured members of an input already checked by the validator.</summary>
internal static class JsonInput
{
    public static IReadOnlyList<ParameterTag> Tags(this JsonObject input, string member) =>
        input.Objects(member).Select(t => new ParameterTag(t.RequiredString("Key"), t.RequiredString("Value"))).ToList();

    public static IReadOnlyList<ParameterStringFilter> Filters(this JsonObject input, string member) =>
        input.Objects(member).Select(f => new ParameterStringFilter(f.RequiredString("Key"), f.String("Option"), f.Strings("Values"))).ToList();
}
