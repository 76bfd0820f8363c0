namespace Cairn.Server.Tests.Ssm;

public sealed class ExpirationTests : SsmFixture
{
    private const string InOneHour = """[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2030-01-01T01:00:00.000Z\"}}]""";

    [Fact]
    public async Task An_expired_parameter_reads_as_deleted_before_the_sweep_and_is_gone_after_it()
    {
        await PutAsync("/temp", "v", extra: $$""","Tier":"Advanced","Policies":"{{InOneHour}}" """);
        Assert.Equal("v", (await GetAsync("/temp"))["Value"]!.GetValue<string>());
        Assert.Equal(0, await Sweeper.SweepOnceAsync(default));

        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", """{"Name":"/temp"}""")).Code);
        Assert.Equal(["/temp"], Strings(await CallAsync("GetParameters", """{"Names":["/temp"]}"""), "InvalidParameters"));
        Assert.Empty(Names(await CallAsync("DescribeParameters", "{}")));
        Assert.Empty(Names(await CallAsync("GetParametersByPath", """{"Path":"/"}""")));
        Assert.NotNull(await Repository.GetAsync(new Cairn.Core.Parameters.ParameterScope(Account, Region), "temp", default));

        Assert.Equal(1, await Sweeper.SweepOnceAsync(default));
        Assert.Null(await Repository.GetAsync(new Cairn.Core.Parameters.ParameterScope(Account, Region), "temp", default));
    }

    [Fact]
    public async Task Writing_an_expired_name_creates_it_anew()
    {
        await PutAsync("/again", "old", extra: $$""","Tier":"Advanced","Policies":"{{InOneHour}}" """);
        Time.Advance(TimeSpan.FromHours(2));

        var created = await PutAsync("/again", "new");

        Assert.Equal(1, created["Version"]!.GetValue<long>());
        Assert.Equal("Standard", created["Tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task Overwriting_keeps_the_expiration_until_policies_are_replaced()
    {
        await PutAsync("/keep", "v1", extra: $$""","Tier":"Advanced","Policies":"{{InOneHour}}" """);
        await OverwriteAsync("/keep", "v2");
        await PutAsync("/cleared", "x", extra: $$""","Tier":"Advanced","Policies":"{{InOneHour}}" """);
        await CallAsync("PutParameter", """{"Name":"/cleared","Value":"y","Overwrite":true,"Tier":"Advanced","Policies":"[]"}""");

        Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", """{"Name":"/keep"}""")).Code);
        Assert.Equal("y", (await GetAsync("/cleared"))["Value"]!.GetValue<string>());
    }
}
