using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Ssm;

/// <summary>The seeds' Parameter Store commands and every operation, through Debian's aws CLI v2.</summary>
public sealed class SsmCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 12)];

    [Fact]
    public async Task The_seeds_put_parameter_commands_work_verbatim_and_decrypt_only_when_asked()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_credentials_username", "--value", "docker_username", "--type", "SecureString", "--overwrite")).Ok();
        var put = (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_credentials_password", "--value", "s3cret", "--type", "SecureString", "--overwrite")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "my-app-docker-registry-url", "--value", "docker.io", "--type", "String", "--overwrite")).Ok();
        Assert.Equal("Standard", put["Tier"]!.GetValue<string>());

        var decrypted = (await cairn.Aws("ssm", "get-parameter", "--name", "my_app_Docker_credentials_password", "--with-decryption")).Ok();
        Assert.Equal("s3cret", decrypted["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal("SecureString", decrypted["Parameter"]!["Type"]!.GetValue<string>());
        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/my_app_Docker_credentials_password", decrypted["Parameter"]!["ARN"]!.GetValue<string>());

        var encrypted = (await cairn.Aws("ssm", "get-parameter", "--name", "my_app_Docker_credentials_password")).Ok();
        var ciphertext = encrypted["Parameter"]!["Value"]!.GetValue<string>();
        Assert.NotEqual("s3cret", ciphertext);
        Assert.DoesNotContain("s3cret", Convert.FromBase64String(ciphertext).Select(b => (char)b).Aggregate(string.Empty, (s, c) => s + c), StringComparison.Ordinal);

        var plain = (await cairn.Aws("ssm", "get-parameter", "--name", "my-app-docker-registry-url")).Ok();
        Assert.Equal("docker.io", plain["Parameter"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_parameter_is_ParameterNotFound_and_existing_name_without_overwrite_is_ParameterAlreadyExists()
    {
        var name = Unique("/compat/missing/");
        (await cairn.Aws("ssm", "get-parameter", "--name", name)).Fails("ParameterNotFound");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "v1", "--type", "String")).Ok();
        var stderr = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "v2", "--type", "String")).Fails("ParameterAlreadyExists");
        Assert.Contains("The parameter already exists. To overwrite this value, set the overwrite option in the request to true.", stderr, StringComparison.Ordinal);
        var second = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "v2", "--overwrite")).Ok();
        Assert.Equal(2, second["Version"]!.GetValue<int>());
        (await cairn.Aws("ssm", "delete-parameter", "--name", name)).Ok();
        (await cairn.Aws("ssm", "delete-parameter", "--name", name)).Fails("ParameterNotFound");
    }

    [Fact]
    public async Task Versions_and_labels_are_selectable_and_history_shows_them()
    {
        var name = Unique("/compat/labels/");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "one", "--type", "String")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "two", "--overwrite")).Ok();
        var labelled = (await cairn.Aws("ssm", "label-parameter-version", "--name", name, "--parameter-version", "1", "--labels", "stable", "1bad")).Ok();
        Assert.Equal(["1bad"], labelled["InvalidLabels"]!.AsArray().Select(l => l!.GetValue<string>()));

        Assert.Equal("one", (await cairn.Aws("ssm", "get-parameter", "--name", $"{name}:stable")).Ok()["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal("one", (await cairn.Aws("ssm", "get-parameter", "--name", $"{name}:1")).Ok()["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal("two", (await cairn.Aws("ssm", "get-parameter", "--name", name)).Ok()["Parameter"]!["Value"]!.GetValue<string>());
        (await cairn.Aws("ssm", "get-parameter", "--name", $"{name}:9")).Fails("ParameterVersionNotFound");

        var history = (await cairn.Aws("ssm", "get-parameter-history", "--name", name)).Ok()["Parameters"]!.AsArray();
        Assert.Equal([1, 2], history.Select(h => h!["Version"]!.GetValue<int>()));
        Assert.Equal(["stable"], history[0]!["Labels"]!.AsArray().Select(l => l!.GetValue<string>()));

        (await cairn.Aws("ssm", "unlabel-parameter-version", "--name", name, "--parameter-version", "1", "--labels", "stable")).Ok();
        (await cairn.Aws("ssm", "get-parameter", "--name", $"{name}:stable")).Fails("ParameterVersionNotFound");
    }

    [Fact]
    public async Task Get_parameters_reports_unknown_names_and_refuses_more_than_ten()
    {
        var name = Unique("/compat/many/");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "x", "--type", "String")).Ok();
        var result = (await cairn.Aws("ssm", "get-parameters", "--names", name, name + "-nope")).Ok();
        Assert.Single(result["Parameters"]!.AsArray());
        Assert.Equal([name + "-nope"], result["InvalidParameters"]!.AsArray().Select(n => n!.GetValue<string>()));

        var eleven = Enumerable.Range(0, 11).Select(i => $"p{i}").ToArray();
        var stderr = (await cairn.Aws(["ssm", "get-parameters", "--names", .. eleven])).Fails("ValidationException");
        Assert.Contains("Member must have length less than or equal to 10", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_parameters_by_path_pages_through_a_hierarchy()
    {
        var root = Unique("/compat/tree");
        foreach (var leaf in new[] { "a", "b", "c", "sub/d", "sub/e" })
        {
            (await cairn.Aws("ssm", "put-parameter", "--name", $"{root}/{leaf}", "--value", leaf, "--type", "String")).Ok();
        }

        var oneLevel = (await cairn.Aws("ssm", "get-parameters-by-path", "--path", root, "--page-size", "2")).Ok();
        Assert.Equal(3, oneLevel["Parameters"]!.AsArray().Count);
        var recursive = (await cairn.Aws("ssm", "get-parameters-by-path", "--path", root, "--recursive", "--page-size", "2")).Ok();
        Assert.Equal(5, recursive["Parameters"]!.AsArray().Count);
        (await cairn.Aws("ssm", "get-parameters-by-path", "--path", root, "--max-results", "11", "--no-paginate")).Fails("ValidationException");
    }

    [Fact]
    public async Task Describe_parameters_filters_and_refuses_both_filter_kinds()
    {
        var root = Unique("/compat/describe");
        (await cairn.Aws("ssm", "put-parameter", "--name", $"{root}/secret", "--value", "x", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", $"{root}/plain", "--value", "x", "--type", "String")).Ok();

        var described = (await cairn.Aws("ssm", "describe-parameters", "--parameter-filters", $"Key=Path,Option=Recursive,Values={root}", "Key=Type,Values=SecureString")).Ok();
        var only = Assert.Single(described["Parameters"]!.AsArray());
        Assert.Equal($"{root}/secret", only!["Name"]!.GetValue<string>());
        Assert.Equal("alias/aws/ssm", only["KeyId"]!.GetValue<string>());
        Assert.Null(only["Value"]);

        var stderr = (await cairn.Aws("ssm", "describe-parameters", "--filters", "Key=Name,Values=x", "--parameter-filters", "Key=Name,Values=x")).Fails("ValidationException");
        Assert.Contains("You can use either Filters or ParameterFilters in a single request.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_are_added_listed_removed_and_refused_with_overwrite()
    {
        var name = Unique("/compat/tags/");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "x", "--type", "String", "--tags", "Key=team,Value=build")).Ok();
        (await cairn.Aws("ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", name, "--tags", "Key=env,Value=prod")).Ok();
        var tags = (await cairn.Aws("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", name)).Ok()["TagList"]!.AsArray();
        Assert.Equal(["env", "team"], tags.Select(t => t!["Key"]!.GetValue<string>()).Order());
        (await cairn.Aws("ssm", "remove-tags-from-resource", "--resource-type", "Parameter", "--resource-id", name, "--tag-keys", "env")).Ok();
        Assert.Single((await cairn.Aws("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", name)).Ok()["TagList"]!.AsArray());

        var stderr = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "y", "--overwrite", "--tags", "Key=a,Value=b")).Fails("ValidationException");
        Assert.Contains("tags and overwrite can't be used together", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("awsnope", "ValidationException", "can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")]
    [InlineData("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "HierarchyLevelLimitExceededException", "")]
    [InlineData("/bad//name", "ValidationException", "each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_")]
    public async Task Invalid_names_get_AWS_errors(string name, string code, string text)
    {
        var stderr = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "x", "--type", "String")).Fails(code);
        Assert.Contains(text, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_over_the_standard_tier_limit_and_pattern_mismatches_are_refused()
    {
        var name = Unique("/compat/limits/");
        var stderr = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", new string('x', 4097), "--type", "String")).Fails("ValidationException");
        Assert.Contains("Standard tier parameters support a maximum parameter value of 4096 characters.", stderr, StringComparison.Ordinal);
        var advanced = (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", new string('x', 4097), "--type", "String", "--tier", "Advanced")).Ok();
        Assert.Equal("Advanced", advanced["Tier"]!.GetValue<string>());

        stderr = (await cairn.Aws("ssm", "put-parameter", "--name", name + "p", "--value", "abc", "--type", "String", "--allowed-pattern", "^[0-9]+$")).Fails("ParameterPatternMismatchException");
        Assert.Contains("Parameter value, cannot be validated against allowedPattern: ^[0-9]+$", stderr, StringComparison.Ordinal);
        (await cairn.Aws("ssm", "put-parameter", "--name", name + "t", "--value", "abc", "--type", "str")).Fails("ValidationException");
    }

    [Fact]
    public async Task Parameters_are_kept_per_region()
    {
        var name = Unique("/compat/region/");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "east", "--type", "String")).Ok();
        (await cairn.AwsAs(cairn.Credentials(region: "eu-west-1"), "ssm", "get-parameter", "--name", name)).Fails("ParameterNotFound");
        var west = (await cairn.AwsAs(cairn.Credentials(region: "eu-west-1"), "ssm", "put-parameter", "--name", name, "--value", "west", "--type", "String")).Ok();
        Assert.Equal(1, west["Version"]!.GetValue<int>());
        Assert.Equal("east", (await cairn.Aws("ssm", "get-parameter", "--name", name)).Ok()["Parameter"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_parameters_reports_deleted_and_invalid_names()
    {
        var name = Unique("/compat/delete/");
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "x", "--type", "String")).Ok();
        var result = (await cairn.Aws("ssm", "delete-parameters", "--names", name, name + "-nope")).Ok();
        Assert.Equal([name], result["DeletedParameters"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([name + "-nope"], result["InvalidParameters"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_secret_key_is_InvalidSignatureException_and_an_unknown_key_UnrecognizedClientException()
    {
        (await cairn.AwsAs(cairn.Credentials(secret: "not-the-secret"), "ssm", "get-parameter", "--name", "x")).Fails("InvalidSignatureException");
        (await cairn.AwsAs(cairn.Credentials(keyId: "AKIANOSUCHKEY0000000"), "ssm", "get-parameter", "--name", "x")).Fails("UnrecognizedClientException");
    }
}
