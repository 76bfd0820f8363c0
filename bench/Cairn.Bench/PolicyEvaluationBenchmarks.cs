using BenchmarkDotNet.Attributes;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;

namespace Cairn.Bench;

/// <summary>Authorization cost: one request against ten attached policies (the per-role quota), allowed by the last one.</summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private List<IdentityPolicy> _policies = [];
    private PolicyRequest _allowed = null!;
    private PolicyRequest _denied = null!;

    [GlobalSetup]
    public void Setup()
    {
        const string Template = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Get*","ssm:Describe*"],"Resource":"arn:aws:ssm:*:*:parameter/appNN/*"},{"Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}]}""";
        _policies = Enumerable.Range(0, 10)
            .Select(i => new IdentityPolicy($"p{i}", PolicyDocument.Parse(Template.Replace("NN", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))))
            .ToList();
        var user = new Principal(PrincipalKind.User, "123456789012", "arn:aws:iam::123456789012:user/bob", "AIDAEXAMPLE", "bob");
        var context = ConditionKeys.ForRequest(user, DateTimeOffset.UtcNow, "127.0.0.1", "us-east-1", secureTransport: false);
        _allowed = new PolicyRequest("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/app9/db", context);
        _denied = new PolicyRequest("ssm:PutParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/app9/db", context);
    }

    [Benchmark]
    public PolicyDecision Allowed_by_the_tenth_policy() => PolicyEvaluator.Evaluate(_policies, _allowed).Decision;

    [Benchmark]
    public PolicyDecision Implicitly_denied() => PolicyEvaluator.Evaluate(_policies, _denied).Decision;

    [Benchmark]
    public ConditionContext Building_the_request_context() =>
        ConditionKeys.ForRequest(Principal.Root("123456789012"), DateTimeOffset.UtcNow, "127.0.0.1", "us-east-1", secureTransport: false);
}
