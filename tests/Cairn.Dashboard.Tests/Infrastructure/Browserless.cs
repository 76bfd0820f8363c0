using System.Net;
using AngleSharp.Html.Dom;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>An HTTP client that behaves as a browser without JavaScript: keeps cookies, submits forms with their hidden fields.</summary>
public sealed class Browserless : IDisposable
{
    private readonly HttpClientHandler _handler;
    private readonly HttpClient _http;

    public Browserless(Uri endpoint)
    {
        _handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true };
        _http = new HttpClient(_handler) { BaseAddress = endpoint };
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Sends <paramref name="request"/> and returns as soon as the headers arrive, the body left to read as it streams (Server-Sent Events).</summary>
    public Task<HttpResponseMessage> StreamAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>GETs a page and parses it.</summary>
    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PageAsync(string path)
    {
        var response = await GetAsync(path);
        return (response, DashboardServer.Parse(await response.Content.ReadAsStringAsync()));
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await _http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>Submits the form of <paramref name="page"/> whose action is <paramref name="action"/>: its hidden fields (the antiforgery token) plus <paramref name="fields"/>.</summary>
    public Task<HttpResponseMessage> SubmitAsync(IHtmlDocument page, string action, params (string Name, string Value)[] fields)
    {
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>().SingleOrDefault(f => f.GetAttribute("action") == action)
            ?? throw new InvalidOperationException($"no form posts to {action} on the page:\n{page.DocumentElement.OuterHtml}");
        var values = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Concat(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return PostAsync(action, values);
    }

    /// <summary>Signs in through the sign-in page's form.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string account, string userName, string password)
    {
        var (_, page) = await PageAsync("/signin");
        return await SubmitAsync(page, "/signin", ("Account", account), ("UserName", userName), ("Password", password));
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}
