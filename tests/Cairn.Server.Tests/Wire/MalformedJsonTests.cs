using System.Net;
using System.Text;

namespace Cairn.Server.Tests.Wire;

/// <summary>JSON bodies no SDK sends: duplicate keys, invalid UTF-8, lone surrogate escapes. Each is a 400 SerializationException.</summary>
public sealed class MalformedJsonTests(WireServer wire) : IClassFixture<WireServer>
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (target, service, member) in new[]
                 {
                     ("AmazonSSM.GetParameter", "ssm", "Name"),
                     ("TrentService.DescribeKey", "kms", "KeyId"),
                     ("CodeBuild_20161006.BatchGetProjects", "codebuild", "names"),
                     ("Logs_20140328.DescribeLogGroups", "logs", "logGroupNamePrefix"),
                 })
        {
            data.Add(target, service, $$"""{"{{member}}":"p1","{{member}}":"p1"}""");
            data.Add(target, service, "hex:7b22" + Convert.ToHexString(Encoding.ASCII.GetBytes(member)) + "223a22ff227d"); // "0xff"
            data.Add(target, service, "hex:7b2261223a22c0af227d"); // overlong '/'
            data.Add(target, service, "hex:7b2261223a22eda080227d"); // encoded surrogate
            data.Add(target, service, "hex:7b2261223a22e282"); // truncated sequence
            data.Add(target, service, $$"""{"{{member}}":"\ud800"}""");
            data.Add(target, service, """{"\udc00":1}""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_JSON_gets_400_SerializationException(string target, string service, string body)
    {
        var bytes = body.StartsWith("hex:", StringComparison.Ordinal) ? Convert.FromHexString(body[4..]) : Encoding.UTF8.GetBytes(body);

        var response = await wire.SendSignedAsync(wire.Json(target, bytes), service);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("SerializationException", response.Code);
        Assert.NotEmpty(response.Message);
    }

    [Fact]
    public async Task Duplicate_keys_are_named_in_the_message()
    {
        var response = await wire.SendSignedAsync(wire.Json("AmazonSSM.GetParameter", """{"Name":"p1","Name":"p2"}"""u8.ToArray()), "ssm");

        Assert.Equal("Duplicate member 'Name' in the request body: each member may appear only once.", response.Message);
    }
}
