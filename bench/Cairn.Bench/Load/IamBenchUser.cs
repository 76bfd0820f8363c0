using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Load;

/// <summary>
/// Creates, through the IAM API, a user whose GetParameter is decided by policy evaluation over 10 attached managed
/// policies (9 that do not match, then AmazonSSMReadOnlyAccess), and returns a signer for its access key.
/// </summary>
internal static class IamBenchUser
{
    public const string UserName = "bench-reader";

    public static async Task<SigV4Signer> CreateAsync(HttpClient http, BenchServer server, CancellationToken cancellationToken)
    {
        var root = new SigV4Signer(server.AccessKeyId, server.SecretAccessKey, "us-east-1", "iam");
        await CallAsync(http, server, root, $"Action=CreateUser&UserName={UserName}", cancellationToken);
        for (var i = 1; i <= 9; i++)
        {
            var document = Uri.EscapeDataString(string.Create(CultureInfo.InvariantCulture,
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter*","ssm:Describe*"],"Resource":"arn:aws:ssm:*:*:parameter/team-{{i}}/*"}]}"""));
            var created = await CallAsync(http, server, root, $"Action=CreatePolicy&PolicyName=bench-{i}&PolicyDocument={document}", cancellationToken);
            var arn = created.Descendants().First(e => e.Name.LocalName == "Arn").Value;
            await CallAsync(http, server, root, $"Action=AttachUserPolicy&UserName={UserName}&PolicyArn={Uri.EscapeDataString(arn)}", cancellationToken);
        }

        await CallAsync(http, server, root,
            $"Action=AttachUserPolicy&UserName={UserName}&PolicyArn={Uri.EscapeDataString("arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")}", cancellationToken);
        var key = await CallAsync(http, server, root, $"Action=CreateAccessKey&UserName={UserName}", cancellationToken);
        string Text(string name) => key.Descendants().First(e => e.Name.LocalName == name).Value;
        return new SigV4Signer(Text("AccessKeyId"), Text("SecretAccessKey"), "us-east-1", "ssm");
    }

    private static async Task<XElement> CallAsync(HttpClient http, BenchServer server, SigV4Signer signer, string form, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(form + "&Version=2010-05-08");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        signer.Sign(request, body, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"IAM {form.Split('&')[0]} failed: {(int)response.StatusCode} {text}");
        }

        return XElement.Parse(text);
    }
}
