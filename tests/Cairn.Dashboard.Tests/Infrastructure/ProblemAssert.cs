using System.Net;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>The one check of a page that answers bad input: 400, AWS's error code, and a message that says what is allowed.</summary>
public static class ProblemAssert
{
    public static async Task BadRequestAsync(DashboardServer server, string path, string code, string messageStart)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, page.QuerySelector(".problem h2")?.TextContent.Trim());
        Assert.StartsWith(messageStart, page.QuerySelector(".problem .message")?.TextContent.Trim() ?? "", StringComparison.Ordinal);
    }
}
