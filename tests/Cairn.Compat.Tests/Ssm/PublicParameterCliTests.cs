using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Ssm;

/// <summary>
/// AWS's public parameters under /aws/service through the real aws CLI and boto3: read by name, ARN and path by any
/// caller allowed ssm:GetParameter*, ARNs without an account, not listed by DescribeParameters, not writable.
/// </summary>
public sealed class PublicParameterCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task The_CLI_reads_the_global_infrastructure_tree_and_the_build_images_as_a_user_allowed_to_read_parameters()
    {
        var reader = await cairn.UserWithPolicyAsync("public-reader",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter*","ssm:DescribeParameters","ssm:PutParameter"],"Resource":"*"}]}""");
        var nobody = await cairn.UserWithPolicyAsync("public-nobody",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}""");

        var region = (await cairn.AwsAs(reader, "ssm", "get-parameter", "--region", "eu-west-1", "--name", "/aws/service/global-infrastructure/current-region")).Ok()["Parameter"]!;
        var image = (await cairn.AwsAs(reader, "ssm", "get-parameter", "--name", "arn:aws:ssm:us-east-1::parameter/aws/service/codebuild/images/host")).Ok()["Parameter"]!;
        var both = (await cairn.AwsAs(reader, "ssm", "get-parameters", "--names",
            "/aws/service/global-infrastructure/regions/us-west-2/longName", "/aws/service/global-infrastructure/regions/nowhere-1")).Ok();
        var services = (await cairn.AwsAs(reader, "ssm", "get-parameters-by-path", "--path", "/aws/service/global-infrastructure/regions/us-east-1/services")).Ok();
        var described = (await cairn.AwsAs(reader, "ssm", "describe-parameters")).Ok();
        var write = (await cairn.AwsAs(reader, "ssm", "put-parameter", "--name", "/aws/service/codebuild/images/mine", "--value", "x", "--type", "String")).Fails("AccessDeniedException");
        var denied = (await cairn.AwsAs(nobody, "ssm", "get-parameter", "--name", "/aws/service/codebuild/images/host")).Fails("AccessDeniedException");
        var history = (await cairn.AwsAs(reader, "ssm", "get-parameter-history", "--name", "/aws/service/codebuild/images/host")).Fails("AccessDeniedException");
        var historyByArn = (await cairn.AwsAs(reader, "ssm", "get-parameter-history", "--name",
            "arn:aws:ssm:us-east-1::parameter/aws/service/global-infrastructure/current-region")).Fails("AccessDeniedException");
        var historyDenied = (await cairn.AwsAs(nobody, "ssm", "get-parameter-history", "--name", "/aws/service/codebuild/images/host")).Fails("AccessDeniedException");

        Assert.Equal(("/aws/service/global-infrastructure/current-region", "eu-west-1", "String"),
            (region["Name"]!.GetValue<string>(), region["Value"]!.GetValue<string>(), region["Type"]!.GetValue<string>()));
        Assert.Equal("arn:aws:ssm:eu-west-1::parameter/aws/service/global-infrastructure/current-region", region["ARN"]!.GetValue<string>());
        Assert.Equal(("/aws/service/codebuild/images/host", "host"), (image["Name"]!.GetValue<string>(), image["Value"]!.GetValue<string>()));
        Assert.Equal("US West (Oregon)", both["Parameters"]![0]!["Value"]!.GetValue<string>());
        Assert.Equal("/aws/service/global-infrastructure/regions/nowhere-1", both["InvalidParameters"]![0]!.GetValue<string>());
        Assert.Equal(
            ["codebuild", "codepipeline", "codestar-connections", "iam", "kms", "logs", "secretsmanager", "ssm", "sts"],
            services["Parameters"]!.AsArray().Select(p => p!["Value"]!.GetValue<string>()));
        Assert.Empty(described["Parameters"]!.AsArray());
        Assert.Contains("/aws/service/codebuild/images/mine", write, StringComparison.Ordinal);
        Assert.Contains("arn:aws:ssm:us-east-1::parameter/aws/service/codebuild/images/host", denied, StringComparison.Ordinal);
        Assert.Contains("GetParameterHistory is not supported on /aws/service/codebuild/images/host. Read its current value with GetParameter", history, StringComparison.Ordinal);
        Assert.Contains("GetParameterHistory is not supported on arn:aws:ssm:us-east-1::parameter/aws/service/global-infrastructure/current-region.", historyByArn, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: ssm:GetParameterHistory on resource: arn:aws:ssm:us-east-1::parameter/aws/service/codebuild/images/host", historyDenied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boto3_pages_through_a_public_path()
    {
        var result = await cairn.Boto3("""
            names = []
            for page in ssm.get_paginator("get_parameters_by_path").paginate(Path="/aws/service/global-infrastructure/services/ssm", Recursive=True):
                names += [p["Name"] for p in page["Parameters"]]
            print(len(names), names[0])
            print(ssm.get_parameter(Name="/aws/service/global-infrastructure/services/ssm/regions/eu-west-1/endpoint")["Parameter"]["Value"])
            print(error_code(ssm.get_parameter, Name="/aws/service/global-infrastructure/services/ssm/longName:2"))
            print(error_code(ssm.get_parameter_history, Name="/aws/service/global-infrastructure/services/ssm/longName"))
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("43 /aws/service/global-infrastructure/services/ssm/longName", lines[0]);
        Assert.Equal("ssm.eu-west-1.amazonaws.com", lines[1]);
        Assert.StartsWith("ParameterVersionNotFound", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("AccessDeniedException: Public parameters have no history", lines[3], StringComparison.Ordinal);
    }
}
