using System.Text;
using System.Text.RegularExpressions;
using Cairn.Core.Identity.Policies;

namespace Cairn.Core.Tests.Policies;

/// <summary>Invariants of policy evaluation over seeded random policies and requests (reproducible: the seed is in the test data).</summary>
public sealed class PolicyPropertyTests
{
    private const int Iterations = 1500;

    private static readonly string[] Actions =
    [
        "ssm:GetParameter", "ssm:GetParameters", "ssm:Get*", "ssm:*", "*", "ssm:?etParameter", "kms:Decrypt", "kms:*",
        "iam:*AccessKey*", "ssm:Put*", "SSM:getparameter*", "sts:AssumeRole",
    ];

    private static readonly string[] RequestActions =
    [
        "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter", "kms:Decrypt", "iam:CreateAccessKey", "sts:AssumeRole", "ssm:DeleteParameter",
    ];

    private static readonly string[] Resources =
    [
        "*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/*", "arn:aws:ssm:*:*:parameter/*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/db",
        "arn:aws:kms:*:123456789012:key/*", "arn:aws:ssm:*:*:parameter/home/${aws:username}/*", "arn:aws:ssm:us-east-?:*:parameter/app/d?",
    ];

    private static readonly string[] RequestResources =
    [
        "arn:aws:ssm:us-east-1:123456789012:parameter/app/db", "arn:aws:ssm:us-east-2:123456789012:parameter/app/db",
        "arn:aws:ssm:us-east-1:123456789012:parameter/home/bob/token", "arn:aws:kms:us-east-1:123456789012:key/1234", "*",
    ];

    private static readonly string[] Conditions =
    [
        "", """{"StringEquals":{"aws:username":"bob"}}""", """{"Bool":{"aws:SecureTransport":"true"}}""",
        """{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""", """{"StringNotEquals":{"aws:username":["alice","carol"]}}""",
        """{"StringLikeIfExists":{"aws:PrincipalTag/team":"red*"}}""", """{"Null":{"aws:TokenIssueTime":"true"}}""",
        """{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}""",
    ];

    public static TheoryData<int> Seeds => new() { 1, 42, 20240531 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nothing_is_allowed_without_a_matching_Allow_and_a_matching_Deny_always_wins(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var policies = RandomPolicies(random);
            var request = RandomRequest(random);

            var result = PolicyEvaluator.Evaluate(policies, request);
            var statements = policies.SelectMany(p => p.Document.Statements).ToList();
            var anyAllow = statements.Any(s => s.Effect == PolicyEffect.Allow && s.Applies(request));
            var anyDeny = statements.Any(s => s.Effect == PolicyEffect.Deny && s.Applies(request));

            var expected = anyDeny ? PolicyDecision.ExplicitDeny : anyAllow ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
            Assert.True(expected == result.Decision, $"seed {seed} iteration {i}: expected {expected}, got {result.Decision} for {Describe(policies, request)}");
            if (result.Decision != PolicyDecision.ImplicitDeny)
            {
                Assert.True(result.Statement!.Applies(request));
                Assert.Equal(result.Decision == PolicyDecision.Allow ? PolicyEffect.Allow : PolicyEffect.Deny, result.Statement.Effect);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adding_a_Deny_never_turns_a_deny_into_an_allow(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var policies = RandomPolicies(random);
            var request = RandomRequest(random);
            var before = PolicyEvaluator.Evaluate(policies, request).Decision;

            var after = PolicyEvaluator.Evaluate([.. policies, RandomPolicy(random, PolicyEffect.Deny)], request).Decision;

            if (before != PolicyDecision.Allow)
            {
                Assert.NotEqual(PolicyDecision.Allow, after);
            }

            if (before == PolicyDecision.ExplicitDeny)
            {
                Assert.Equal(PolicyDecision.ExplicitDeny, after);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adding_an_Allow_never_turns_an_Allow_into_a_deny(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var policies = RandomPolicies(random);
            var request = RandomRequest(random);
            var before = PolicyEvaluator.Evaluate(policies, request).Decision;

            var after = PolicyEvaluator.Evaluate([.. policies, RandomPolicy(random, PolicyEffect.Allow)], request).Decision;

            if (before == PolicyDecision.Allow)
            {
                Assert.Equal(PolicyDecision.Allow, after);
            }

            if (before == PolicyDecision.ExplicitDeny)
            {
                Assert.Equal(PolicyDecision.ExplicitDeny, after);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Wildcard_matching_agrees_with_a_regular_expression(int seed)
    {
        var random = new Random(seed);
        const string Alphabet = "ab:/*?";
        for (var i = 0; i < Iterations * 4; i++)
        {
            var pattern = RandomText(random, Alphabet, 8);
            var value = RandomText(random, "ab:/", 10);
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";

            var expected = Regex.IsMatch(value, regex, RegexOptions.Singleline);

            Assert.True(expected == WildcardPattern.Compile(pattern, ignoreCase: false).IsMatch(value), $"pattern '{pattern}' value '{value}'");
        }
    }

    private static List<IdentityPolicy> RandomPolicies(Random random)
    {
        var count = random.Next(0, 4);
        var policies = new List<IdentityPolicy>(count);
        for (var i = 0; i < count; i++)
        {
            policies.Add(RandomPolicy(random, null));
        }

        return policies;
    }

    private static IdentityPolicy RandomPolicy(Random random, PolicyEffect? effect)
    {
        var statements = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var statementEffect = effect ?? (random.Next(4) == 0 ? PolicyEffect.Deny : PolicyEffect.Allow);
            var actionKey = random.Next(5) == 0 ? "NotAction" : "Action";
            var resourceKey = random.Next(6) == 0 ? "NotResource" : "Resource";
            var actions = string.Join(',', Pick(random, Actions, random.Next(1, 3)).Select(a => $"\"{a}\""));
            var resources = string.Join(',', Pick(random, Resources, random.Next(1, 3)).Select(r => $"\"{r}\""));
            var condition = Conditions[random.Next(Conditions.Length)];
            var conditionPart = condition.Length == 0 ? string.Empty : $",\"Condition\":{condition}";
            statements.Add($"{{\"Effect\":\"{statementEffect}\",\"{actionKey}\":[{actions}],\"{resourceKey}\":[{resources}]{conditionPart}}}");
        }

        var json = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(',', statements)}]}}";
        return new IdentityPolicy($"random{random.Next()}", PolicyDocument.Parse(json));
    }

    private static PolicyRequest RandomRequest(Random random)
    {
        var context = new ConditionContext()
            .Set("aws:username", random.Next(3) switch { 0 => "bob", 1 => "alice", _ => null })
            .Set("aws:SecureTransport", random.Next(2) == 0 ? "true" : "false")
            .Set("aws:SourceIp", random.Next(2) == 0 ? "10.1.2.3" : "192.0.2.1")
            .Set("aws:PrincipalTag/team", random.Next(3) == 0 ? "red-1" : null)
            .Set("aws:TokenIssueTime", random.Next(2) == 0 ? "2024-01-01T00:00:00Z" : null)
            .Set("aws:CurrentTime", "2025-06-01T00:00:00Z");
        return new PolicyRequest(RequestActions[random.Next(RequestActions.Length)], RequestResources[random.Next(RequestResources.Length)], context);
    }

    private static IEnumerable<string> Pick(Random random, string[] pool, int count) =>
        Enumerable.Range(0, count).Select(_ => pool[random.Next(pool.Length)]).Distinct();

    private static string RandomText(Random random, string alphabet, int maxLength)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Describe(List<IdentityPolicy> policies, PolicyRequest request) =>
        $"{request.Action} on {request.Resource}: {string.Join(" | ", policies.Select(p => p.Document.Text))}";
}
