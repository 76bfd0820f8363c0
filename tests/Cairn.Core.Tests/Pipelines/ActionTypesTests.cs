using Cairn.Core.Pipelines;

namespace Cairn.Core.Tests.Pipelines;

public sealed class ActionTypesTests
{
    [Theory]
    [InlineData("Source", "CodeStarSourceConnection")]
    [InlineData("Build", "CodeBuild")]
    [InlineData("Test", "CodeBuild")]
    [InlineData("Approval", "Manual")]
    [InlineData("Deploy", "ECS")]
    [InlineData("Deploy", "EKS")]
    public void The_types_the_issue_names_are_the_ones_cairn_runs(string category, string provider) =>
        Assert.True(ActionTypes.Find(category, "AWS", provider, "1")!.RunsInCairn);

    [Fact]
    public void Every_other_type_says_what_to_use_instead_and_each_type_is_listed_once()
    {
        Assert.All(ActionTypes.All.Where(t => !t.RunsInCairn), t => Assert.False(string.IsNullOrEmpty(t.Instead)));
        Assert.Equal(ActionTypes.All.Count, ActionTypes.All.Select(t => (t.Category, t.Owner, t.Provider, t.Version)).Distinct().Count());
        Assert.All(ActionTypes.All, t => Assert.True(t.Configuration.Count <= 10, $"{t.Provider}: AWS lists at most 10 configuration properties"));
    }

    [Fact]
    public void A_provider_in_the_wrong_category_or_version_is_not_found()
    {
        Assert.Null(ActionTypes.Find("Deploy", "AWS", "CodeBuild", "1"));
        Assert.Null(ActionTypes.Find("Build", "AWS", "CodeBuild", "2"));
    }
}
