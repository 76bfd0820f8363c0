using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Ssm;

/// <summary>The same Parameter Store through boto3, which parses responses strictly against AWS's model.</summary>
public sealed class SsmBoto3Tests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task Boto3_round_trips_every_parameter_type_and_pages_with_max_results()
    {
        var result = await cairn.Boto3("""
            root = "/boto3/app"
            ssm.put_parameter(Name=root + "/password", Value="pa55word", Type="SecureString")
            ssm.put_parameter(Name=root + "/hosts", Value="a,b,c", Type="StringList")
            for i in range(12):
                ssm.put_parameter(Name=f"{root}/n/p{i:02}", Value=str(i), Type="String")
            p = ssm.get_parameter(Name=root + "/password", WithDecryption=True)["Parameter"]
            assert p["Value"] == "pa55word", p
            assert p["Version"] == 1 and p["DataType"] == "text", p
            assert hasattr(p["LastModifiedDate"], "year"), p
            assert ssm.get_parameter(Name=root + "/password")["Parameter"]["Value"] != "pa55word"
            assert ssm.get_parameter(Name=root + "/hosts")["Parameter"]["Type"] == "StringList"
            names, token, pages = [], None, 0
            while True:
                kw = {"Path": root + "/n", "MaxResults": 5}
                if token: kw["NextToken"] = token
                page = ssm.get_parameters_by_path(**kw)
                pages += 1
                names += [x["Name"] for x in page["Parameters"]]
                token = page.get("NextToken")
                if not token: break
            assert sorted(names) == [f"{root}/n/p{i:02}" for i in range(12)], names
            assert pages >= 3, pages
            described = [x["Name"] for pg in ssm.get_paginator("describe_parameters").paginate(
                ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": [root + "/n/"]}], PaginationConfig={"PageSize": 5}) for x in pg["Parameters"]]
            assert len(described) == 12, described
            print(error_code(ssm.get_parameter, Name=root + "/missing"))
            print(error_code(ssm.get_parameters_by_path, Path=root, NextToken="garbage"))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("ParameterNotFound", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("InvalidNextToken", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_sees_the_same_errors_with_AWS_shapes()
    {
        var result = await cairn.Boto3("""
            print(error_code(ssm.put_parameter, Name="/boto3/x", Value="v" * 4097, Type="String"))
            print(error_code(ssm.put_parameter, Name="/boto3/y", Value="v"))
            print(error_code(ssm.put_parameter, Name="/boto3/z", Value="v", Type="String", DataType="text/plain"))
            print(error_code(ssm.label_parameter_version, Name="/boto3/none", Labels=["a"]))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ValidationException", lines[0], StringComparison.Ordinal);
        Assert.Contains("A parameter type is required when you create a parameter.", lines[1], StringComparison.Ordinal);
        Assert.Contains("The following data type is not supported: text/plain", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("ParameterNotFound", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_by_ARN_report_the_parameters_name_not_the_ARN()
    {
        var result = await cairn.Boto3("""
            arn = "arn:aws:ssm:us-east-1:000000000000:parameter/"
            ssm.put_parameter(Name="/byarn/test", Value="v1", Type="String")
            ssm.put_parameter(Name="/byarn/test", Value="v2", Type="String", Overwrite=True)
            ssm.put_parameter(Name="byarn-plain", Value="p", Type="String")
            p = ssm.get_parameter(Name=arn + "byarn/test")["Parameter"]
            assert p["Name"] == "/byarn/test" and p["ARN"] == arn + "byarn/test" and p["Value"] == "v2", p
            p = ssm.get_parameter(Name=arn + "byarn/test:1")["Parameter"]
            assert p["Name"] == "/byarn/test" and p["Selector"] == ":1" and p["Value"] == "v1", p
            got = ssm.get_parameters(Names=[arn + "byarn/test", arn + "byarn-plain", "/byarn/test:1"])
            assert sorted(x["Name"] for x in got["Parameters"]) == ["/byarn/test", "/byarn/test", "byarn-plain"], got
            assert got["InvalidParameters"] == [], got
            history = ssm.get_parameter_history(Name=arn + "byarn/test")["Parameters"]
            assert [h["Name"] for h in history] == ["/byarn/test", "/byarn/test"], history
            print("ok")
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("ok", result.Stdout.Trim());
    }

    [Fact]
    public async Task Missing_parameters_are_ParameterNotFound_naming_what_was_asked()
    {
        var result = await cairn.Boto3("""
            ssm.put_parameter(Name="nf-test-2", Value="v", Type="String")
            print(error_code(ssm.get_parameter, Name="nf-missing"))
            print(error_code(ssm.delete_parameter, Name="nf-missing"))
            print(error_code(ssm.label_parameter_version, Name="nf-missing", Labels=["a"]))
            print(error_code(ssm.get_parameter_history, Name="nf-missing"))
            print(error_code(ssm.get_parameter, Name="nf-missing:2"))
            print(error_code(ssm.get_parameter, Name="nf-test-2:2:3"))
            print(error_code(ssm.get_parameter, Name="nf-test-2:2"))
            got = ssm.get_parameters(Names=["nf-test-2", "nf-test-2:2:3"])
            print(sorted(p["Name"] for p in got["Parameters"]), got["InvalidParameters"])
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(
            [
                "ParameterNotFound: Parameter nf-missing not found.",
                "ParameterNotFound: Parameter nf-missing not found.",
                "ParameterNotFound: Parameter nf-missing not found.",
                "ParameterNotFound: Parameter nf-missing not found.",
                "ParameterNotFound: Parameter nf-missing:2 not found.",
                "ParameterNotFound: Parameter nf-test-2:2:3 not found.",
                "ParameterVersionNotFound: Systems Manager could not find version 2 of nf-test-2. Verify the version and try again.",
                "['nf-test-2'] ['nf-test-2:2:3']",
            ],
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_tag_resource_type_ssm_does_not_have_is_InvalidResourceType()
    {
        var result = await cairn.Boto3("""
            print(error_code(ssm.list_tags_for_resource, ResourceType="not-existing", ResourceId="test"))
            print(error_code(ssm.add_tags_to_resource, ResourceType="Bucket", ResourceId="test", Tags=[{"Key": "k", "Value": "v"}]))
            print(error_code(ssm.list_tags_for_resource, ResourceType="Parameter", ResourceId="/no/such/tagged"))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("InvalidResourceType: The resource type not-existing isn't valid. ResourceType is one of: Document, ManagedInstance,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("InvalidResourceType: The resource type Bucket isn't valid.", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("InvalidResourceId: ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_parameters_filter_errors_list_the_valid_options_as_AWS_does()
    {
        var result = await cairn.Boto3("""
            print(error_code(ssm.describe_parameters, ParameterFilters=[{"Key": "Name", "Option": "option", "Values": ["test"]}]))
            print(error_code(ssm.describe_parameters, ParameterFilters=[{"Key": "Type", "Option": "Contains", "Values": ["String"]}]))
            print(error_code(ssm.describe_parameters, ParameterFilters=[{"Key": "Path", "Option": "Equals", "Values": ["/test"]}]))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(
            [
                "InvalidFilterOption: The following filter option is not valid: option. Valid options include: [BeginsWith, Equals]. The Name filter also takes Contains.",
                "InvalidFilterOption: The following filter option is not valid: Contains. Valid options include: [BeginsWith, Equals].",
                "InvalidFilterOption: The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].",
            ],
            result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
