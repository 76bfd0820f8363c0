namespace Cairn.Server.Tests.Ssm;

/// <summary>Convention: every Parameter Store operation asks for its own ssm: action and stops when denied.</summary>
public sealed class AuthorizationTests : SsmFixture
{
    public static TheoryData<string, string> Operations => new()
    {
        { "PutParameter", """{"Name":"/p","Value":"v","Type":"String"}""" },
        { "GetParameter", """{"Name":"/p"}""" },
        { "GetParameters", """{"Names":["/p"]}""" },
        { "GetParametersByPath", """{"Path":"/"}""" },
        { "GetParameterHistory", """{"Name":"/p"}""" },
        { "DeleteParameter", """{"Name":"/p"}""" },
        { "DeleteParameters", """{"Names":["/p"]}""" },
        { "DescribeParameters", "{}" },
        { "LabelParameterVersion", """{"Name":"/p","Labels":["l"]}""" },
        { "UnlabelParameterVersion", """{"Name":"/p","ParameterVersion":1,"Labels":["l"]}""" },
        { "AddTagsToResource", """{"ResourceType":"Parameter","ResourceId":"/p","Tags":[{"Key":"k","Value":"v"}]}""" },
        { "RemoveTagsFromResource", """{"ResourceType":"Parameter","ResourceId":"/p","TagKeys":["k"]}""" },
        { "ListTagsForResource", """{"ResourceType":"Parameter","ResourceId":"/p"}""" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_without_permission_returns_AccessDenied(string operation, string input)
    {
        await PutAsync("/p", "v");
        Authorizer.Denied.Add(($"ssm:{operation}", "*"));

        var error = await FailsAsync(operation, input);

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains($"is not authorized to perform: ssm:{operation} on resource: arn:aws:ssm:{Region}:{Account}:", error.Message, StringComparison.Ordinal);
        var unchanged = await Repository.GetAsync(new Cairn.Core.Parameters.ParameterScope(Account, Region), "p", default);
        Assert.Equal((1L, "v"), (unchanged!.LatestVersion, unchanged.Version.Value));
    }
}
