using Cairn.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hygiene;

public sealed class NamingRuleTests : HygieneServer
{
    private const string Strict = "{app:lower}_{kind:title}_{detail:lower}";

    [Fact]
    public async Task An_enforced_rule_rejects_a_new_name_that_breaks_it_naming_the_rule_and_a_name_that_fits()
    {
        await SecretsAsync("PutNamingRule", $$"""{"Pattern":"{{Strict}}","Mode":"enforce"}""");

        var error = await FailsAsync(() => PutAsync("MyAppPassword", "x", "SecureString"));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("Parameter name MyAppPassword does not follow this account's naming rule '" + Strict + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(e.g. my_app_Docker_credentials_password)", error.Message, StringComparison.Ordinal);
        await FailsAsync(() => SsmAsync("GetParameter", """{"Name":"MyAppPassword"}"""));
        await PutAsync("my_app_Docker_credentials_password", "x", "SecureString");
    }

    [Fact]
    public async Task A_rule_never_blocks_overwriting_or_reading_a_name_that_already_exists()
    {
        await PutAsync("my_app_Docker_registry_URL", "docker.io");
        await SecretsAsync("PutNamingRule", $$"""{"Pattern":"{{Strict}}","Mode":"enforce"}""");

        await PutAsync("my_app_Docker_registry_URL", "registry.example", overwrite: true);
        var read = await SsmAsync("GetParameter", """{"Name":"my_app_Docker_registry_URL"}""");

        Assert.Equal("registry.example", (string?)read["Parameter"]!["Value"]);
        await FailsAsync(() => PutAsync("my_app_Docker_other_URL", "x", overwrite: true));
    }

    [Fact]
    public async Task A_warn_rule_lets_a_new_name_through_and_records_an_audit_note()
    {
        await SecretsAsync("PutNamingRule", """{"Pattern":"{app:lower}-{kind:lower}-{detail:lower}","Mode":"warn"}""");

        await PutAsync("my_app_Docker_credentials_username", "u", "SecureString");
        await PutAsync("my-app-docker-credentials-password", "p", "SecureString");

        var audit = Server.Services.GetRequiredService<IAuditLog>();
        await audit.FlushAsync(default);
        var notes = await audit.QueryAsync(new AuditQuery(ActionPrefix: "cairn:NamingRuleWarning"), default);
        var note = Assert.Single(notes);
        Assert.Equal($"arn:aws:ssm:{Region}:{Account}:parameter/my_app_Docker_credentials_username", note.Resource);
        Assert.Equal("NamingRuleViolation", note.ErrorCode);
        Assert.Equal("ssm:PutParameter", note.Operation);
    }

    [Fact]
    public async Task A_warn_rule_answers_the_put_with_an_X_Cairn_Warning_header_naming_the_rule_and_a_fitting_name_gets_none()
    {
        await SecretsAsync("PutNamingRule", $$"""{"Pattern":"{{Strict}}","Mode":"warn"}""");
        using var http = new HttpClient();

        async Task<HttpResponseMessage> PutOverHttpAsync(string name)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Server.Endpoint)
            {
                Content = new StringContent($$"""{"Name":"{{name}}","Value":"x","Type":"SecureString"}""", System.Text.Encoding.UTF8, "application/x-amz-json-1.1"),
            };
            request.Headers.Add("X-Amz-Target", "AmazonSSM.PutParameter");
            await new Cairn.Server.Aws.SigV4.SigV4Signer("AKIAINPROCESSROOT001", "root", Region, "ssm").SignAsync(request, DateTimeOffset.UtcNow, CancellationToken.None);
            return await http.SendAsync(request);
        }

        using var warned = await PutOverHttpAsync("MyAppPassword");
        using var fitting = await PutOverHttpAsync("my_app_Docker_credentials_password");

        Assert.Equal(System.Net.HttpStatusCode.OK, warned.StatusCode);
        var warning = Assert.Single(warned.Headers.GetValues("X-Cairn-Warning"));
        Assert.StartsWith("Parameter name MyAppPassword does not follow this account's naming rule '" + Strict + "' (e.g. my_app_Docker_credentials_password).", warning, StringComparison.Ordinal);
        Assert.EndsWith("The name was accepted: the rule is in warn mode.", warning, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, fitting.StatusCode);
        Assert.False(fitting.Headers.Contains("X-Cairn-Warning"));
    }

    [Fact]
    public async Task A_rule_for_a_path_prefix_governs_only_the_names_under_it_and_the_longest_prefix_wins()
    {
        await SecretsAsync("PutNamingRule", """{"Pattern":"{app}_{kind}_{detail}","Mode":"enforce"}""");
        await SecretsAsync("PutNamingRule", """{"Pattern":"{app:lower}-{detail:lower}","Mode":"enforce","PathPrefix":"/prod/"}""");

        await PutAsync("/prod/web-password", "x", "SecureString");
        await PutAsync("/web_Db_password", "x", "SecureString");
        var error = await FailsAsync(() => PutAsync("/prod/web_Db_password", "x", "SecureString"));

        Assert.Contains("for names under /prod/", error.Message, StringComparison.Ordinal);
        var rules = await SecretsAsync("GetNamingRules", "{}");
        Assert.Equal(["/", "/prod/"], rules["Rules"]!.AsArray().Select(r => (string?)r!["PathPrefix"]));
    }

    [Fact]
    public async Task Clearing_a_rule_accepts_every_name_again_and_clearing_none_is_ResourceNotFound()
    {
        await SecretsAsync("PutNamingRule", $$"""{"Pattern":"{{Strict}}","Mode":"enforce"}""");
        await SecretsAsync("DeleteNamingRule", "{}");

        await PutAsync("MyAppPassword", "x", "SecureString");
        var error = await FailsAsync(() => SecretsAsync("DeleteNamingRule", """{"PathPrefix":"/"}"""));

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Empty((await SecretsAsync("GetNamingRules", "{}"))["Rules"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"Pattern":"{app}","Mode":"block"}""", "use enforce")]
    [InlineData("""{"Pattern":"{app}{kind}","Mode":"warn"}""", "separated by a literal")]
    [InlineData("""{"Pattern":"{app}","Mode":"warn","PathPrefix":"prod"}""", "must start and end with /")]
    [InlineData("""{"Pattern":"regex:[a-z]+","Mode":"warn","Example":"Not-Fitting"}""", "does not fit it")]
    [InlineData("""{"Mode":"warn"}""", "Pattern")]
    public async Task A_bad_rule_is_a_ValidationException_that_says_what_to_change(string input, string expected)
    {
        var error = await FailsAsync(() => SecretsAsync("PutNamingRule", input));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Managing_rules_needs_the_cairn_naming_actions()
    {
        var reader = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cairn:GetNamingRules","Resource":"*"}]}""");

        await SecretsAsync("GetNamingRules", "{}", reader);
        var error = await FailsAsync(() => SecretsAsync("PutNamingRule", """{"Pattern":"{app}","Mode":"warn"}""", reader));

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains("cairn:PutNamingRule", error.Message, StringComparison.Ordinal);
    }
}
