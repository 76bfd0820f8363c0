using System.Xml.Linq;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

public sealed class IamRoleAndPolicyTests : IDisposable
{
    public const string CodeBuildTrust =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private const string ReadOnly = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess";

    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    private Task<XElement?> CreateBuildRole(string name = "codebuild-service-role") =>
        _iam.CallIam("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", CodeBuildTrust));

    [Fact]
    public async Task Create_role_returns_the_role_with_its_trust_policy_URL_encoded()
    {
        var result = await _iam.CallIam("CreateRole", ("RoleName", "build"), ("Path", "/service-role/"), ("AssumeRolePolicyDocument", CodeBuildTrust), ("Description", "CI"));

        var role = result!.Element("Role")!;
        Assert.Equal($"arn:aws:iam::{Account}:role/service-role/build", role.Element("Arn")!.Value);
        Assert.StartsWith("AROA", role.Element("RoleId")!.Value, StringComparison.Ordinal);
        Assert.Equal(Uri.EscapeDataString(CodeBuildTrust), role.Element("AssumeRolePolicyDocument")!.Value);
        Assert.StartsWith("%7B%22Version%22%3A%222012-10-17%22", role.Element("AssumeRolePolicyDocument")!.Value, StringComparison.Ordinal);
        Assert.Equal("3600", role.Element("MaxSessionDuration")!.Value);
        Assert.Equal("CI", role.Element("Description")!.Value);
    }

    [Fact]
    public async Task A_trust_policy_with_a_Resource_is_malformed()
    {
        var error = await _iam.IamFails("CreateRole", ("RoleName", "build"),
            ("AssumeRolePolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}"""));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.Equal("Has prohibited field Resource", error.Message);
    }

    [Fact]
    public async Task Role_names_are_at_most_64_characters()
    {
        var error = await _iam.IamFails("CreateRole", ("RoleName", new string('r', 65)), ("AssumeRolePolicyDocument", CodeBuildTrust));

        Assert.Equal("ValidationError", error.Code);
        Assert.EndsWith("failed to satisfy constraint: Member must have length less than or equal to 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attaching_AWS_managed_policies_to_a_role_lists_them()
    {
        await CreateBuildRole();

        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));
        var listed = await _iam.CallIam("ListAttachedRolePolicies", ("RoleName", "codebuild-service-role"));
        var policy = await _iam.CallIam("GetPolicy", ("PolicyArn", ReadOnly));

        Assert.Equal([("AmazonSSMReadOnlyAccess", ReadOnly)], listed!.Descendants("member").Select(m => (m.Element("PolicyName")!.Value, m.Element("PolicyArn")!.Value)));
        Assert.Equal("1", Text(policy, "AttachmentCount"));
        Assert.Equal("v1", Text(policy, "DefaultVersionId"));
    }

    [Fact]
    public async Task Attaching_an_unknown_policy_is_NoSuchEntity_with_AWSs_text()
    {
        await CreateBuildRole();

        var error = await _iam.IamFails("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AWSLambdaFullAccess"));

        Assert.Equal("NoSuchEntity", error.Code);
        Assert.Equal("Policy arn:aws:iam::aws:policy/AWSLambdaFullAccess does not exist or is not attachable.", error.Message);
    }

    [Fact]
    public async Task A_role_takes_at_most_ten_managed_policies()
    {
        await CreateBuildRole();
        for (var i = 0; i < 10; i++)
        {
            await CreateCustomerPolicy($"p{i}");
            await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", $"arn:aws:iam::{Account}:policy/p{i}"));
        }

        var error = await _iam.IamFails("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));

        Assert.Equal("LimitExceeded", error.Code);
        Assert.Equal("Cannot exceed quota for PoliciesPerRole: 10", error.Message);
    }

    [Fact]
    public async Task A_role_with_policies_cannot_be_deleted()
    {
        await CreateBuildRole();
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));

        var error = await _iam.IamFails("DeleteRole", ("RoleName", "codebuild-service-role"));
        await _iam.CallIam("DetachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", ReadOnly));
        await _iam.CallIam("DeleteRole", ("RoleName", "codebuild-service-role"));

        Assert.Equal("DeleteConflict", error.Code);
        Assert.Equal("Cannot delete entity, must detach all policies first.", error.Message);
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("GetRole", ("RoleName", "codebuild-service-role"))).Code);
    }

    [Fact]
    public async Task Inline_role_policies_round_trip_URL_encoded()
    {
        await CreateBuildRole();
        const string Document = """{"Version":"2012-10-17","Statement":[{"Action":"ssm:GetParameters","Effect":"Allow","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/my_app_Docker_credentials_password"}]}""";

        await _iam.CallIam("PutRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyName", "ssm-read"), ("PolicyDocument", Document));
        var got = await _iam.CallIam("GetRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyName", "ssm-read"));
        var listed = await _iam.CallIam("ListRolePolicies", ("RoleName", "codebuild-service-role"));
        var missing = await _iam.IamFails("GetRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyName", "nope"));

        Assert.Equal(Uri.EscapeDataString(Document), Text(got, "PolicyDocument"));
        Assert.Equal("codebuild-service-role", Text(got, "RoleName"));
        Assert.Equal(["ssm-read"], listed!.Descendants("member").Select(e => e.Value));
        Assert.Equal("The role policy with name nope cannot be found.", missing.Message);
    }

    [Fact]
    public async Task Inline_policies_of_a_user_are_limited_to_2048_characters_without_white_space()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        var actions = string.Join(",", Enumerable.Range(0, 120).Select(i => $"\"ssm:GetParameter{i:D3}\""));
        var document = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{actions}}],"Resource":"*"}]}""";

        var error = await _iam.IamFails("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "big"), ("PolicyDocument", document));

        Assert.Equal("LimitExceeded", error.Code);
        Assert.Equal("Maximum policy size of 2048 bytes exceeded for user bob", error.Message);
    }

    [Fact]
    public async Task A_malformed_inline_policy_is_rejected_with_IAMs_reason()
    {
        await CreateBuildRole();

        var error = await _iam.IamFails("PutRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyName", "p"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter"}]}"""));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.Equal("Policy statement must contain resources.", error.Message);
    }

    [Fact]
    public async Task Customer_managed_policies_keep_up_to_five_versions()
    {
        await CreateCustomerPolicy("deploy");
        var arn = $"arn:aws:iam::{Account}:policy/deploy";
        for (var i = 2; i <= 5; i++)
        {
            var created = await _iam.CallIam("CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", Allow($"ssm:Get{i}")), ("SetAsDefault", i == 3 ? "true" : "false"));
            Assert.Equal($"v{i}", Text(created, "VersionId"));
        }

        var sixth = await _iam.IamFails("CreatePolicyVersion", ("PolicyArn", arn), ("PolicyDocument", Allow("ssm:Get6")));
        var deleteDefault = await _iam.IamFails("DeletePolicyVersion", ("PolicyArn", arn), ("VersionId", "v3"));
        var v3 = await _iam.CallIam("GetPolicyVersion", ("PolicyArn", arn), ("VersionId", "v3"));
        var versions = await _iam.CallIam("ListPolicyVersions", ("PolicyArn", arn));
        var deletePolicy = await _iam.IamFails("DeletePolicy", ("PolicyArn", arn));

        Assert.Equal("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.", sixth.Message);
        Assert.Equal("Cannot delete the default version of a policy.", deleteDefault.Message);
        Assert.Equal(Uri.EscapeDataString(Allow("ssm:Get3")), Text(v3, "Document"));
        Assert.Equal("true", Text(v3, "IsDefaultVersion"));
        Assert.Equal(["v5", "v4", "v3", "v2", "v1"], versions!.Descendants("VersionId").Select(e => e.Value));
        Assert.Equal("DeleteConflict", deletePolicy.Code);
    }

    [Fact]
    public async Task Managed_policies_need_Version_2012_10_17()
    {
        var error = await _iam.IamFails("CreatePolicy", ("PolicyName", "old"),
            ("PolicyDocument", """{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}"""));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.Equal("Policy document must be version 2012-10-17 or greater.", error.Message);
    }

    [Fact]
    public async Task Duplicate_policy_names_are_refused()
    {
        await CreateCustomerPolicy("deploy");

        var error = await _iam.IamFails("CreatePolicy", ("PolicyName", "deploy"), ("PolicyDocument", Allow("ssm:Get")));

        Assert.Equal("A policy called deploy already exists. Duplicate names are not allowed.", error.Message);
    }

    [Theory]
    [InlineData("AmazonSSMReadOnlyAccess", "v1", "ssm:Describe*")]
    [InlineData("AmazonSSMFullAccess", "v4", "ssmmessages:OpenDataChannel")]
    [InlineData("AdministratorAccess", "v1", "\"Action\": \"*\"")]
    [InlineData("ReadOnlyAccess", "v87", "xray:Get*")]
    [InlineData("AWSCodeBuildAdminAccess", "v14", "codebuild:*")]
    [InlineData("AWSCodeBuildDeveloperAccess", "v15", "codebuild:StartBuild")]
    public async Task AWS_managed_policies_carry_AWSs_documents(string name, string version, string fragment)
    {
        var arn = "arn:aws:iam::aws:policy/" + name;

        var policy = await _iam.CallIam("GetPolicy", ("PolicyArn", arn));
        var document = Uri.UnescapeDataString(Text(await _iam.CallIam("GetPolicyVersion", ("PolicyArn", arn), ("VersionId", version)), "Document"));

        Assert.Equal(version, Text(policy, "DefaultVersionId"));
        Assert.Contains(fragment, document, StringComparison.Ordinal);
        Assert.NotNull(Cairn.Core.Identity.Policies.PolicyDocument.Parse(document));
    }

    [Fact]
    public async Task AWS_managed_policies_are_listed_with_scope_AWS_and_cannot_be_changed()
    {
        var listed = await _iam.CallIam("ListPolicies", ("Scope", "AWS"), ("MaxItems", "1000"));
        var error = await _iam.IamFails("CreatePolicyVersion", ("PolicyArn", ReadOnly), ("PolicyDocument", Allow("ssm:Get")));

        Assert.Contains("AmazonSSMFullAccess", listed!.Descendants("PolicyName").Select(e => e.Value));
        Assert.Equal(6, listed.Descendants("PolicyName").Count());
        Assert.Equal("UnmodifiableEntity", error.Code);
    }

    private static string Allow(string action) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{action}}","Resource":"*"}]}""";

    private Task<XElement?> CreateCustomerPolicy(string name) =>
        _iam.CallIam("CreatePolicy", ("PolicyName", name), ("PolicyDocument", Allow("ssm:GetParameter")));
}
