using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class PublicParametersTests
{
    [Theory]
    [InlineData("aws/service/global-infrastructure/regions/eu-west-1", "eu-west-1")]
    [InlineData("aws/service/global-infrastructure/regions/eu-west-1/longName", "Europe (Ireland)")]
    [InlineData("aws/service/global-infrastructure/regions/us-east-1/services/ssm", "ssm")]
    [InlineData("aws/service/global-infrastructure/services/codebuild/longName", "AWS CodeBuild")]
    [InlineData("aws/service/global-infrastructure/services/kms/regions/ap-south-1/endpoint", "kms.ap-south-1.amazonaws.com")]
    [InlineData("aws/service/global-infrastructure/current-region", "sa-east-1")]
    [InlineData("aws/service/codebuild/images/host", "host")]
    public void A_public_parameter_is_found_by_its_key_from_any_region(string key, string value)
    {
        var found = PublicParameters.Find("sa-east-1", key);

        Assert.Equal((value, "/" + key, 1L, "String"), (found!.Version.Value, found.Name, found.Version.Version, found.Version.Type));
    }

    [Theory]
    [InlineData("aws/service/global-infrastructure/regions/mars-north-1")]
    [InlineData("aws/service/global-infrastructure/services/s3")]
    [InlineData("app/db")]
    public void Anything_else_is_not_found(string key) => Assert.Null(PublicParameters.Find("us-east-1", key));

    [Fact]
    public void Public_keys_have_ARNs_without_an_account_and_others_keep_the_accounts()
    {
        var scope = new ParameterScope("123456789012", "eu-west-1");

        Assert.Equal("arn:aws:ssm:eu-west-1::parameter/aws/service/codebuild/images/host", scope.ArnFor("aws/service/codebuild/images/host"));
        Assert.Equal("arn:aws:ssm:eu-west-1::parameter/aws/service", scope.ArnFor("aws/service"));
        Assert.Equal("arn:aws:ssm:eu-west-1:123456789012:parameter/aws/services", scope.ArnFor("aws/services"));
    }

    [Fact]
    public void Every_served_service_is_listed_in_every_region_in_key_order()
    {
        var all = PublicParameters.All("us-east-1").Select(p => p.Key).ToList();

        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(PublicParameters.Regions.Count * PublicParameters.Services.Count,
            all.Count(k => k.StartsWith("aws/service/global-infrastructure/regions/", StringComparison.Ordinal) && k.Contains("/services/", StringComparison.Ordinal)));
    }
}
