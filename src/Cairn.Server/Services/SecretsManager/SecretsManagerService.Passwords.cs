using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>GetRandomPassword, authorized as secretsmanager:GetRandomPassword on *; the password is made by <see cref="RandomPassword"/>.</summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> GetRandomPasswordAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.GetRandomPassword);
        await authorizer.AuthorizeAsync(context, "secretsmanager:GetRandomPassword", "*", cancellationToken);
        var options = new RandomPasswordOptions(
            input.Long("PasswordLength") ?? RandomPassword.DefaultLength,
            input.String("ExcludeCharacters") ?? string.Empty,
            input.Bool("ExcludeNumbers"),
            input.Bool("ExcludePunctuation"),
            input.Bool("ExcludeUppercase"),
            input.Bool("ExcludeLowercase"),
            input.Bool("IncludeSpace"),
            input["RequireEachIncludedType"]?.GetValue<bool>() ?? true);
        return new JsonObject { ["RandomPassword"] = RandomPassword.Generate(options) };
    }
}
