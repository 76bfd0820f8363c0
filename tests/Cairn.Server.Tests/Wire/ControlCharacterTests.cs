using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws;
using Cairn.Storage.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Wire;

/// <summary>Control characters and lone surrogates, in requests no client sends and in values already stored: a 4xx, never a 500.</summary>
public sealed class ControlCharacterTests(WireServer wire) : IClassFixture<WireServer>
{
    [Theory]
    [InlineData("GetRole", "RoleName", "a%00b")]
    [InlineData("GetUser", "UserName", "%01")]
    [InlineData("CreateUser", "UserName", "bob%0D%0A")]
    [InlineData("ListRoles", "PathPrefix", "/%00/")]
    public async Task NUL_and_control_characters_in_IAM_names_get_ValidationError_with_a_readable_body(string action, string member, string value)
    {
        var response = await wire.SendSignedAsync(wire.Form($"Action={action}&Version=2010-05-08&{member}={value}"), "iam");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationError", response.Code);
        Assert.StartsWith("1 validation error detected: Value at '", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_name_with_NUL_gets_ValidationError()
    {
        var response = await wire.SendSignedAsync(
            wire.Form("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=s%00s"), "sts");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("ValidationError", response.Code);
    }

    [Fact]
    public async Task A_stored_control_character_is_answered_as_U_FFFD_instead_of_a_500()
    {
        var store = wire.Server.Services.GetRequiredService<IIdentityStore>();
        var role = new IamRole("000000000000", "legacy-role", IdentityIds.RoleId(), "/", "arn:aws:iam::000000000000:role/legacy-role",
            DateTimeOffset.UtcNow, """{"Version":"2012-10-17","Statement":[]}""", "stored\u0001before\uD800validation", 3600);
        await store.CreateRoleAsync(role, [new IamTag("k", "v\u0002")], CancellationToken.None);

        var listed = await wire.SendSignedAsync(wire.Form("Action=ListRoles&Version=2010-05-08"), "iam");
        var got = await wire.SendSignedAsync(wire.Form("Action=GetRole&Version=2010-05-08&RoleName=legacy-role"), "iam");

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.Contains("stored\uFFFDbefore\uFFFDvalidation", XDocument.Parse(listed.Body).ToString(), StringComparison.Ordinal);
        Assert.Contains("v\uFFFD", XDocument.Parse(got.Body).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSON_responses_and_errors_with_lone_surrogates_are_written_with_U_FFFD()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await AwsProtocolWriter.WriteJsonAsync(context.Response, new JsonObject { ["Value"] = "a\uD800b", ["Nested"] = new JsonArray("\uDC00") }, CancellationToken.None);
        var error = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await AwsProtocolWriter.WriteJsonErrorAsync(error.Response, AwsErrors.Validation("bad \uD800 value"), CancellationToken.None);

        Assert.Equal("""{"Value":"a\uFFFDb","Nested":["\uFFFD"]}""", Text(context));
        Assert.Contains("bad \\uFFFD value", Text(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task XML_errors_echoing_control_characters_are_well_formed()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await AwsProtocolWriter.WriteQueryErrorAsync(context.Response, "https://iam.amazonaws.com/doc/2010-05-08/", AwsErrors.NoSuchRole("a\0b\u001f"), "req-1", CancellationToken.None);

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("The role with name a\uFFFDb\uFFFD cannot be found.", XDocument.Parse(Text(context)).Descendants().Single(e => e.Name.LocalName == "Message").Value);
    }

    private static string Text(HttpContext context) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
