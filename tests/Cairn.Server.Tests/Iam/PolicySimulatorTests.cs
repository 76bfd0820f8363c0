using Cairn.Application.Identity.Authorization;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Policies;

namespace Cairn.Server.Tests.Iam;

/// <summary>The simulator names the statement that decided (policy, Sid or position, text) and, for an implicit deny, the Allows whose conditions failed.</summary>
public sealed class PolicySimulatorTests : IDisposable
{
    private const string Account = IdentityHarness.Account;
    private const string Parameter = $"arn:aws:ssm:us-east-1:{Account}:parameter/app/db";

    private readonly IdentityHarness _iam = new();

    private PolicySimulator Simulator => _iam.Get<PolicySimulator>();

    private static string UserArn(string name) => $"arn:aws:iam::{Account}:user/{name}";

    private async Task<SimulationResult> SimulateAsync(string principalArn, string action, string resource, ConditionContext? context = null) =>
        (await Simulator.SimulatePrincipalPolicyAsync(IdentityHarness.Root, principalArn, [], [action], [resource], context ?? new ConditionContext(), CancellationToken.None)).Single();

    [Fact]
    public async Task An_allow_names_the_policy_the_Sid_and_the_statement_as_written()
    {
        await _iam.CallIam("CreateUser", ("UserName", "dev"));
        await _iam.CallIam("PutUserPolicy", ("UserName", "dev"), ("PolicyName", "app-read"), ("PolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Sid":"ReadApp","Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:{{Account}}:parameter/app/*"},{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":"*"}]}"""));

        var read = await SimulateAsync(UserArn("dev"), "ssm:GetParameter", Parameter);
        var decrypt = await SimulateAsync(UserArn("dev"), "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/k");

        Assert.Equal(PolicyDecision.Allow, read.Decision);
        var statement = Assert.Single(read.MatchedStatements);
        Assert.Equal(("app-read", "user", "ReadApp", 0, "ReadApp"), (statement.PolicyId, statement.SourceType, statement.Sid, statement.Index, statement.DisplayName));
        Assert.Equal(
            $"{{\n  \"Sid\": \"ReadApp\",\n  \"Effect\": \"Allow\",\n  \"Action\": \"ssm:GetParameter\",\n  \"Resource\": \"arn:aws:ssm:us-east-1:{Account}:parameter/app/*\"\n}}",
            statement.Text);
        var second = Assert.Single(decrypt.MatchedStatements);
        Assert.Equal((null, 1, "Statement[1]"), (second.Sid, second.Index, second.DisplayName));
        Assert.Equal("{\n  \"Effect\": \"Allow\",\n  \"Action\": [\n    \"kms:Decrypt\"\n  ],\n  \"Resource\": \"*\"\n}", second.Text);
        Assert.Empty(read.UnmetConditions);
    }

    [Fact]
    public async Task An_explicit_deny_names_the_Deny_not_the_Allow_it_overrides()
    {
        await _iam.CallIam("CreateUser", ("UserName", "ops"));
        await _iam.CallIam("AttachUserPolicy", ("UserName", "ops"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));
        await _iam.CallIam("PutUserPolicy", ("UserName", "ops"), ("PolicyName", "no-app"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":{"Sid":"NoApp","Effect":"Deny","Action":"ssm:Get*","Resource":"*"}}"""));

        var result = await SimulateAsync(UserArn("ops"), "ssm:GetParameter", Parameter);

        Assert.Equal(PolicyDecision.ExplicitDeny, result.Decision);
        var statement = Assert.Single(result.MatchedStatements);
        Assert.Equal(("no-app", "user", "NoApp", 0), (statement.PolicyId, statement.SourceType, statement.Sid, statement.Index));
        Assert.Equal("{\n  \"Sid\": \"NoApp\",\n  \"Effect\": \"Deny\",\n  \"Action\": \"ssm:Get*\",\n  \"Resource\": \"*\"\n}", statement.Text);
    }

    [Fact]
    public async Task An_implicit_deny_names_the_Allow_whose_condition_failed_and_the_missing_key()
    {
        await _iam.CallIam("CreateGroup", ("GroupName", "tls-only"));
        await _iam.CallIam("CreateUser", ("UserName", "web"));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "tls-only"), ("UserName", "web"));
        await _iam.CallIam("PutGroupPolicy", ("GroupName", "tls-only"), ("PolicyName", "tls"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":[{"Sid":"Tls","Effect":"Allow","Action":"ssm:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"""));

        var without = await SimulateAsync(UserArn("web"), "ssm:GetParameter", Parameter);
        var with = await SimulateAsync(UserArn("web"), "ssm:GetParameter", Parameter, new ConditionContext().Set("aws:SecureTransport", "true"));
        var otherAction = await SimulateAsync(UserArn("web"), "kms:Decrypt", "*");

        Assert.Equal(PolicyDecision.ImplicitDeny, without.Decision);
        Assert.Empty(without.MatchedStatements);
        var unmet = Assert.Single(without.UnmetConditions);
        Assert.Equal(("tls", "group", "Tls", "Bool aws:SecureTransport"), (unmet.Statement.PolicyId, unmet.Statement.SourceType, unmet.Statement.DisplayName, unmet.FailingCondition));
        Assert.Equal(["aws:SecureTransport"], without.MissingContextValues);
        Assert.Equal(PolicyDecision.Allow, with.Decision);
        Assert.Equal("Tls", Assert.Single(with.MatchedStatements).Sid);
        Assert.Empty(with.UnmetConditions);
        Assert.Equal(PolicyDecision.ImplicitDeny, otherAction.Decision);
        Assert.Empty(otherAction.UnmetConditions);
    }

    [Fact]
    public async Task Simulating_needs_SimulatePrincipalPolicy_on_the_principal()
    {
        var caller = await _iam.UserContextAsync("curious");

        var denied = await Assert.ThrowsAsync<AwsException>(() =>
            Simulator.SimulatePrincipalPolicyAsync(caller, UserArn("curious"), [], ["ssm:GetParameter"], [], new ConditionContext(), CancellationToken.None));

        Assert.True(denied.IsAccessDenied);
        Assert.StartsWith($"User: {UserArn("curious")} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {UserArn("curious")}", denied.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _iam.Dispose();
}
