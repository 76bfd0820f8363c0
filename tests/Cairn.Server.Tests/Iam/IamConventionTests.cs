using Cairn.Core.Errors;

namespace Cairn.Server.Tests.Iam;

/// <summary>Conventions every IAM operation follows.</summary>
public sealed class IamConventionTests : IDisposable
{
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""";

    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    public static TheoryData<string> Operations
    {
        get
        {
            using var harness = new IdentityHarness();
            return new TheoryData<string>(harness.Iam.Operations.Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_IAM_operation_is_authorized_as_its_own_action(string operation)
    {
        var nobody = await _iam.UserContextAsync("nobody");

        var error = await _iam.IamFails(nobody, operation,
            ("UserName", "someone"), ("RoleName", "some-role"), ("GroupName", "some-group"), ("PolicyName", "p"),
            ("PolicyArn", $"arn:aws:iam::{IdentityHarness.Account}:policy/p"), ("PolicyDocument", Document),
            ("AssumeRolePolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""),
            ("AccessKeyId", "AKIAEXAMPLEEXAMPLE00"), ("Status", "Active"), ("VersionId", "v1"), ("Description", "d"),
            ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "v"), ("TagKeys.member.1", "k"),
            ("PolicySourceArn", $"arn:aws:iam::{IdentityHarness.Account}:user/someone"), ("ActionNames.member.1", "ssm:GetParameter"),
            ("PolicyInputList.member.1", Document), ("Password", "Conv-Password-1!"), ("OldPassword", "Conv-Password-1!"),
            ("NewPassword", "Conv-Password-2!"), ("AccountAlias", "conv-alias"), ("PermissionsBoundary", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"),
            ("Url", "https://conv.example.com"), ("OpenIDConnectProviderArn", $"arn:aws:iam::{IdentityHarness.Account}:oidc-provider/conv.example.com"),
            ("ClientID", "conv-client"), ("ClientIDList.member.1", "conv-client"), ("ThumbprintList.member.1", new string('a', 40)),
            ("InstanceProfileName", "conv-profile"), ("AWSServiceName", "conv.amazonaws.com"),
            ("DeletionTaskId", "task/aws-service-role/conv.amazonaws.com/AWSServiceRoleForConv/00000000-0000-0000-0000-000000000001"));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains($"is not authorized to perform: iam:{operation} on resource: ", error.Message, StringComparison.Ordinal);
    }
}
