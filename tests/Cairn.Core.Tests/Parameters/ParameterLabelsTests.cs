using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterLabelsTests
{
    [Theory]
    [InlineData("prod", true)]
    [InlineData("Release_1.0-rc", true)]
    [InlineData("1prod", false)]
    [InlineData("awsprod", false)]
    [InlineData("AWS", false)]
    [InlineData("SsmLabel", false)]
    [InlineData("has space", false)]
    [InlineData("slash/y", false)]
    [InlineData("", false)]
    public void Label_rules(string label, bool valid) => Assert.Equal(valid, ParameterLabels.IsValid(label));

    [Fact]
    public void A_label_may_be_100_characters_long_but_not_101()
    {
        Assert.True(ParameterLabels.IsValid(new string('a', 100)));
        Assert.False(ParameterLabels.IsValid(new string('a', 101)));
    }

    [Fact]
    public void Labelling_splits_valid_from_invalid_and_counts_labels_already_on_the_version()
    {
        var current = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 };

        var plan = ParameterLabeling.PlanLabel(1, ["b", "c", "9x", "c"], current);

        Assert.Equal(["b", "c"], plan.Attach);
        Assert.Equal(["9x"], plan.Invalid);
    }

    [Fact]
    public void An_eleventh_label_on_one_version_is_refused_with_AWS_text()
    {
        var current = Enumerable.Range(0, 9).ToDictionary(i => $"l{i}", _ => 3L);

        Assert.Single(ParameterLabeling.PlanLabel(3, ["tenth"], current).Attach);
        var error = Assert.Throws<AwsException>(() => ParameterLabeling.PlanLabel(3, ["tenth", "eleventh"], current));
        Assert.Equal("ParameterVersionLabelLimitExceeded", error.Code);
        Assert.Equal("A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.", error.Message);
    }

    [Fact]
    public void Moving_labels_onto_a_full_version_counts_them_once()
    {
        var current = Enumerable.Range(0, 10).ToDictionary(i => $"l{i}", _ => 1L);

        Assert.Equal(["l0", "l1"], ParameterLabeling.PlanLabel(1, ["l0", "l1"], current).Attach);
    }

    [Fact]
    public void Unlabel_removes_only_labels_on_that_version()
    {
        var plan = ParameterLabeling.PlanUnlabel(2, ["a", "b", "zz", "a"], new Dictionary<string, long> { ["a"] = 2, ["b"] = 1 });

        Assert.Equal(["a"], plan.Remove);
        Assert.Equal(["b", "zz"], plan.Invalid);
    }
}
