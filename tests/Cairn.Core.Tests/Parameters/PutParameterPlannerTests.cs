using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class PutParameterPlannerTests
{
    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PutParameterInput Input(string value = "v", string? type = ParameterTypes.String, bool overwrite = false, string? tier = null,
        string? keyId = null, string? pattern = null, ParameterPolicySet? policies = null, string? description = null) => new()
    {
        Name = ParameterName.ParseForWrite("/p", Scope),
        Value = value,
        Type = type,
        Overwrite = overwrite,
        Tier = tier,
        KeyId = keyId,
        AllowedPattern = pattern,
        Policies = policies,
        Description = description,
        User = "arn:aws:iam::000000000000:user/ci",
        Now = Now,
    };

    private static ParameterVersion Existing(string type = ParameterTypes.String, string tier = ParameterTiers.Standard, string? keyId = null,
        long version = 1, string? pattern = null, string? policies = null) => new()
    {
        Version = version,
        Type = type,
        Value = "old",
        KeyId = keyId,
        DataType = ParameterDataTypes.Text,
        Tier = tier,
        AllowedPattern = pattern,
        Policies = policies,
        Description = "kept",
        LastModifiedDate = Now.AddDays(-1),
        LastModifiedUser = "arn:aws:iam::000000000000:root",
    };

    private static ParameterWriteState State(ParameterVersion? latest = null, int count = 1, bool oldestLabelled = false, long standardCount = 0, long advancedCount = 0) =>
        new(latest, latest is null ? 0 : count, 1, oldestLabelled, tier => tier == ParameterTiers.Advanced ? advancedCount : standardCount);

    private static ParameterWriteDecision Decide(PutParameterInput input, ParameterWriteState state) =>
        PutParameterPlanner.Decide(input, PutParameterPlanner.Resolve(input, state.Latest), input.Value, state);

    [Fact]
    public void A_new_parameter_needs_a_type()
    {
        var error = Assert.Throws<AwsException>(() => PutParameterPlanner.Resolve(Input(type: null), null));

        Assert.Equal(("ValidationException", "A parameter type is required when you create a parameter."), (error.Code, error.Message));
    }

    [Fact]
    public void An_existing_parameter_needs_overwrite()
    {
        var error = Assert.Throws<AwsException>(() => PutParameterPlanner.Resolve(Input(), Existing()));

        Assert.Equal("ParameterAlreadyExists", error.Code);
        Assert.Equal("The parameter already exists. To overwrite this value, set the overwrite option in the request to true.", error.Message);
    }

    [Fact]
    public void An_update_without_type_keeps_type_key_and_description()
    {
        var existing = Existing(ParameterTypes.SecureString, keyId: "alias/mine");

        var plan = PutParameterPlanner.Resolve(Input(type: null, overwrite: true), existing);
        var decision = PutParameterPlanner.Decide(Input(type: null, overwrite: true), plan, "cipher", State(existing));

        Assert.Equal(new ParameterEncryptionPlan(ParameterTypes.SecureString, "alias/mine"), plan);
        Assert.Equal(2, decision.Version.Version);
        Assert.Equal("kept", decision.Version.Description);
        Assert.Equal("cipher", decision.Version.Value);
    }

    [Fact]
    public void SecureString_defaults_to_the_aws_ssm_key()
    {
        Assert.Equal("alias/aws/ssm", PutParameterPlanner.Resolve(Input(type: ParameterTypes.SecureString), null).KeyId);
        Assert.Null(PutParameterPlanner.Resolve(Input(keyId: "alias/x"), null).KeyId);
    }

    [Fact]
    public void A_changed_type_since_encryption_is_a_conflict()
    {
        var plan = PutParameterPlanner.Resolve(Input(type: null, overwrite: true), Existing(ParameterTypes.SecureString, keyId: "k"));

        Assert.Throws<ParameterWriteConflictException>(() =>
            PutParameterPlanner.Decide(Input(type: null, overwrite: true), plan, "c", State(Existing(ParameterTypes.String))));
    }

    [Fact]
    public void Standard_tier_values_stop_at_4096_characters()
    {
        Assert.Equal(ParameterTiers.Standard, Decide(Input(new string('x', 4096)), State()).Version.Tier);

        var error = Assert.Throws<AwsException>(() => Decide(Input(new string('x', 4097)), State()));
        Assert.Equal("ValidationException", error.Code);
        Assert.StartsWith("Standard tier parameters support a maximum parameter value of 4096 characters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advanced_tier_values_stop_at_8192_characters()
    {
        Assert.Equal(ParameterTiers.Advanced, Decide(Input(new string('x', 8192), tier: ParameterTiers.Advanced), State()).Version.Tier);
        Assert.Equal("ValidationException", Assert.Throws<AwsException>(() => Decide(Input(new string('x', 8193), tier: ParameterTiers.Advanced), State())).Code);
    }

    [Fact]
    public void Intelligent_tiering_picks_advanced_only_when_needed()
    {
        Assert.Equal(ParameterTiers.Standard, Decide(Input("small", tier: ParameterTiers.IntelligentTiering), State()).Version.Tier);
        Assert.Equal(ParameterTiers.Advanced, Decide(Input(new string('x', 5000), tier: ParameterTiers.IntelligentTiering), State()).Version.Tier);
        Assert.Equal(ParameterTiers.Advanced, Decide(Input("small", tier: ParameterTiers.IntelligentTiering), State(standardCount: 10_000)).Version.Tier);
        var existing = Existing(tier: ParameterTiers.Advanced);
        Assert.Equal(ParameterTiers.Advanced, Decide(Input("small", overwrite: true, tier: ParameterTiers.IntelligentTiering), State(existing)).Version.Tier);
    }

    [Fact]
    public void Advanced_never_goes_back_to_standard_and_an_update_without_tier_keeps_it()
    {
        var existing = Existing(tier: ParameterTiers.Advanced);

        var error = Assert.Throws<AwsException>(() => Decide(Input(overwrite: true, tier: ParameterTiers.Standard), State(existing)));
        Assert.StartsWith("This parameter uses the advanced-parameter tier. You can't downgrade", error.Message, StringComparison.Ordinal);
        Assert.Equal(ParameterTiers.Advanced, Decide(Input(overwrite: true), State(existing)).Version.Tier);
    }

    [Fact]
    public void Policies_need_the_advanced_tier_and_set_the_expiry()
    {
        var policies = new ParameterPolicySet([new ParameterPolicy("Expiration", """{"Type":"Expiration"}""")], Now.AddDays(1));

        Assert.Equal("ValidationException", Assert.Throws<AwsException>(() => Decide(Input(policies: policies), State())).Code);
        var decision = Decide(Input(policies: policies, tier: ParameterTiers.Advanced), State());
        Assert.Equal(Now.AddDays(1), decision.ExpiresAt);
        Assert.NotNull(decision.Version.Policies);
    }

    [Fact]
    public void Policies_carry_over_an_update_that_names_none_and_an_empty_set_clears_them()
    {
        var stored = ParameterPolicies.Parse("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-02-01T00:00:00Z"}}]""", Now).ToStoredText();
        var existing = Existing(tier: ParameterTiers.Advanced, policies: stored);

        Assert.Equal(new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero), Decide(Input(overwrite: true), State(existing)).ExpiresAt);
        var cleared = Decide(Input(overwrite: true, policies: ParameterPolicySet.None), State(existing));
        Assert.Null(cleared.ExpiresAt);
        Assert.Null(cleared.Version.Policies);
    }

    [Fact]
    public void The_allowed_pattern_must_match_the_whole_value_and_is_kept_on_update()
    {
        Assert.Equal("^\\d+$", Decide(Input("123", pattern: "^\\d+$"), State()).Version.AllowedPattern);

        var error = Assert.Throws<AwsException>(() => Decide(Input("12a", overwrite: true), State(Existing(pattern: "\\d+"))));
        Assert.Equal(("ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: \\d+"), (error.Code, error.Message));
    }

    [Fact]
    public void The_standard_limit_stops_new_standard_parameters()
    {
        var error = Assert.Throws<AwsException>(() => Decide(Input(), State(standardCount: 10_000)));

        Assert.Equal("ParameterLimitExceeded", error.Code);
        Assert.StartsWith("You have reached the maximum number of standard parameters for this AWS account and Region (10000).", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Decide(Input(overwrite: true), State(Existing(), standardCount: 10_000)).Version.Version);
    }

    [Fact]
    public void The_101st_version_drops_the_oldest_unless_it_is_labelled()
    {
        var existing = Existing(version: 100);

        Assert.True(Decide(Input(overwrite: true), State(existing, count: 100)).DropOldest);
        Assert.False(Decide(Input(overwrite: true), State(existing, count: 99)).DropOldest);
        var error = Assert.Throws<AwsException>(() => Decide(Input(overwrite: true), State(existing, count: 100, oldestLabelled: true)));
        Assert.Equal("ParameterMaxVersionLimitExceeded", error.Code);
        Assert.Equal(
            "You attempted to create a new version of /p by calling the PutParameter API with the overwrite flag. Version 1, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
            error.Message);
    }

    [Fact]
    public void Tags_are_stored_only_when_the_parameter_is_created()
    {
        var input = Input() with { Tags = [new ParameterTag("a", "b")] };

        Assert.Single(Decide(input, State()).Tags);
    }
}
