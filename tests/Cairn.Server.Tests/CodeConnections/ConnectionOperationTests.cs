using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.CodeConnections;

public sealed class ConnectionOperationTests : ConnectionsFixture
{
    private static JsonObject GitHub(string name = "app") => new() { ["ConnectionName"] = name, ["ProviderType"] = "GitHub" };

    [Fact]
    public async Task A_GitHub_connection_is_AVAILABLE_at_once_and_readable_through_both_services()
    {
        var created = await CallAsync("CreateConnection", GitHub());
        var arn = created["ConnectionArn"]!.GetValue<string>();

        var read = await CallAsync("GetConnection", new JsonObject { ["ConnectionArn"] = arn });
        var throughCodeStar = await CallAsync("GetConnection", new JsonObject { ["ConnectionArn"] = arn }, CodeStar);

        Assert.Matches("^arn:aws:codeconnections:us-east-1:000000000000:connection/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", arn);
        var connection = read["Connection"]!;
        Assert.Equal("AVAILABLE", connection["ConnectionStatus"]!.GetValue<string>());
        Assert.Equal("GitHub", connection["ProviderType"]!.GetValue<string>());
        Assert.Equal("000000000000", connection["OwnerAccountId"]!.GetValue<string>());
        Assert.Equal("app", connection["ConnectionName"]!.GetValue<string>());
        Assert.Null(connection["HostArn"]);
        Assert.Equal(arn, throughCodeStar["Connection"]!["ConnectionArn"]!.GetValue<string>());
        Assert.Contains(("codeconnections:CreateConnection", arn), Authorizer.Calls);
        Assert.Contains(("codestar-connections:GetConnection", arn), Authorizer.Calls);
    }

    [Fact]
    public async Task CodeStar_connections_makes_codestar_connections_ARNs()
    {
        var created = await CallAsync("CreateConnection", GitHub(), CodeStar);

        Assert.StartsWith("arn:aws:codestar-connections:us-east-1:000000000000:connection/", created["ConnectionArn"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_on_a_host_takes_the_hosts_provider_and_is_listed_under_it()
    {
        var host = await LocalHostAsync();
        var onHost = await ConnectionAsync(host);
        await CallAsync("CreateConnection", GitHub("other"));

        var listed = await CallAsync("ListConnections", new JsonObject { ["HostArnFilter"] = host });
        var gitHub = await CallAsync("ListConnections", new JsonObject { ["ProviderTypeFilter"] = "GitHub" });
        var hostRead = await CallAsync("GetHost", new JsonObject { ["HostArn"] = host });

        var only = Assert.Single(listed["Connections"]!.AsArray())!;
        Assert.Equal(onHost, only["ConnectionArn"]!.GetValue<string>());
        Assert.Equal("GitLabSelfManaged", only["ProviderType"]!.GetValue<string>());
        Assert.Equal(host, only["HostArn"]!.GetValue<string>());
        Assert.Equal("other", Assert.Single(gitHub["Connections"]!.AsArray())!["ConnectionName"]!.GetValue<string>());
        Assert.Matches("^arn:aws:codeconnections:us-east-1:000000000000:host/local-[0-9a-f]{8}$", host);
        Assert.Equal("AVAILABLE", hostRead["Status"]!.GetValue<string>());
        Assert.Equal(SourceRoot, hostRead["ProviderEndpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_host_in_use_is_not_deleted_and_is_once_its_connections_are_gone()
    {
        var host = await LocalHostAsync();
        var connection = await ConnectionAsync(host);

        var refused = await FailsAsync("DeleteHost", new JsonObject { ["HostArn"] = host });
        await CallAsync("DeleteConnection", new JsonObject { ["ConnectionArn"] = connection });
        await CallAsync("DeleteHost", new JsonObject { ["HostArn"] = host });
        var gone = await FailsAsync("GetHost", new JsonObject { ["HostArn"] = host });

        Assert.Equal("ResourceUnavailableException", refused.Code);
        Assert.Contains("delete them first", refused.Message, StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", gone.Code);
    }

    [Theory]
    [InlineData(null, null, "needs a ProviderType")]
    [InlineData("GitLabSelfManaged", null, "create a host for it first")]
    [InlineData("GitHubEnterpriseServer", null, "create a host for it first")]
    public async Task A_connection_without_a_usable_provider_is_refused_and_nothing_is_made(string? provider, string? host, string text)
    {
        var input = new JsonObject { ["ConnectionName"] = "app" };
        if (provider is not null)
        {
            input["ProviderType"] = provider;
        }

        if (host is not null)
        {
            input["HostArn"] = host;
        }

        var error = await FailsAsync("CreateConnection", input);

        Assert.Equal("InvalidInputException", error.Code);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Empty((await CallAsync("ListConnections", []))["Connections"]!.AsArray());
    }

    [Fact]
    public async Task A_connection_on_a_host_that_does_not_exist_is_ResourceNotFound()
    {
        var error = await FailsAsync("CreateConnection", new JsonObject
        {
            ["ConnectionName"] = "app", ["HostArn"] = "arn:aws:codeconnections:us-east-1:000000000000:host/nothing-12345678",
        });

        Assert.Equal("ResourceNotFoundException", error.Code);
        Assert.Empty((await CallAsync("ListConnections", []))["Connections"]!.AsArray());
    }

    [Theory]
    [InlineData("https://ci:s3cret@git.internal", "must not carry a user name or password")]
    [InlineData("ftp://git.internal", "not a URL git can clone from")]
    [InlineData("git.internal", "not a URL git can clone from")]
    [InlineData("/etc", "outside the directories")]
    [InlineData("file:///etc", "outside the directories")]
    public async Task A_host_endpoint_that_cannot_be_used_is_refused_and_nothing_is_made(string endpoint, string text)
    {
        var error = await FailsAsync("CreateHost", new JsonObject { ["Name"] = "h", ["ProviderType"] = "GitLabSelfManaged", ["ProviderEndpoint"] = endpoint });

        Assert.Equal("InvalidInputException", error.Code);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Empty((await CallAsync("ListHosts", []))["Hosts"]!.AsArray());
    }

    [Fact]
    public async Task Input_outside_the_models_shapes_is_a_ValidationException()
    {
        var longName = await FailsAsync("CreateConnection", new JsonObject { ["ConnectionName"] = new string('a', 33), ["ProviderType"] = "GitHub" });
        var badProvider = await FailsAsync("CreateConnection", new JsonObject { ["ConnectionName"] = "a", ["ProviderType"] = "Gitea" });
        var codeConnectionsHostOnCodeStar = await FailsAsync(
            "GetHost", new JsonObject { ["HostArn"] = "arn:aws:codeconnections:us-east-1:000000000000:host/a-12345678" }, CodeStar);
        var noName = await FailsAsync("CreateHost", new JsonObject { ["ProviderType"] = "GitHub", ["ProviderEndpoint"] = "https://x" });

        Assert.All(new[] { longName, badProvider, codeConnectionsHostOnCodeStar, noName }, e => Assert.Equal("ValidationException", e.Code));
    }

    [Fact]
    public async Task A_connection_of_another_region_or_that_never_was_is_ResourceNotFound()
    {
        var arn = (await CallAsync("CreateConnection", GitHub()))["ConnectionArn"]!.GetValue<string>();

        var elsewhere = await FailsAsync("GetConnection", new JsonObject { ["ConnectionArn"] = arn.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal) });
        var never = await FailsAsync("DeleteConnection", new JsonObject { ["ConnectionArn"] = "arn:aws:codeconnections:us-east-1:000000000000:connection/00000000-0000-0000-0000-000000000000" });

        Assert.Equal("ResourceNotFoundException", elsewhere.Code);
        Assert.Equal("ResourceNotFoundException", never.Code);
    }

    [Fact]
    public async Task Connections_are_listed_in_pages_and_a_token_not_issued_here_is_refused()
    {
        for (var i = 0; i < 3; i++)
        {
            await CallAsync("CreateConnection", GitHub($"c{i}"));
        }

        var first = await CallAsync("ListConnections", new JsonObject { ["MaxResults"] = 2 });
        var second = await CallAsync("ListConnections", new JsonObject { ["MaxResults"] = 2, ["NextToken"] = first["NextToken"]!.GetValue<string>() });
        var bad = await FailsAsync("ListConnections", new JsonObject { ["NextToken"] = "bm90LW91cnM=" });

        Assert.Equal(2, first["Connections"]!.AsArray().Count);
        Assert.Single(second["Connections"]!.AsArray());
        Assert.Null(second["NextToken"]);
        Assert.Equal(3, first["Connections"]!.AsArray().Concat(second["Connections"]!.AsArray()).Select(c => c!["ConnectionName"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal("InvalidInputException", bad.Code);
    }

    [Fact]
    public async Task Tags_are_given_at_creation_added_replaced_and_removed_and_aws_keys_are_refused()
    {
        var created = await CallAsync("CreateConnection", new JsonObject
        {
            ["ConnectionName"] = "app", ["ProviderType"] = "GitHub", ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "web" }),
        });
        var arn = created["ConnectionArn"]!.GetValue<string>();

        await CallAsync("TagResource", new JsonObject
        {
            ["ResourceArn"] = arn,
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "api" }, new JsonObject { ["Key"] = "env", ["Value"] = "prod" }),
        });
        await CallAsync("UntagResource", new JsonObject { ["ResourceArn"] = arn, ["TagKeys"] = new JsonArray("env") });
        var reserved = await FailsAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "aws:x", ["Value"] = "1" }) });
        var listed = await CallAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn });

        Assert.Equal("web", created["Tags"]![0]!["Value"]!.GetValue<string>());
        Assert.Equal("InvalidInputException", reserved.Code);
        var tag = Assert.Single(listed["Tags"]!.AsArray())!;
        Assert.Equal("team", tag["Key"]!.GetValue<string>());
        Assert.Equal("api", tag["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_operation_authorizes_its_own_action_under_the_service_it_came_through()
    {
        Authorizer.Denied.Add(("codestar-connections:ListConnections", "*"));

        var denied = await FailsAsync("ListConnections", [], CodeStar);
        var allowed = await CallAsync("ListConnections", []);

        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.NotNull(allowed["Connections"]);
    }
}
