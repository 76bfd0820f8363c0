using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Services.PipelineSources;

/// <summary>
/// <c>POST /_cairn/hooks/git</c> with <c>{"repository": "team/app"}</c> (or <c>?repository=</c>): a git post-receive
/// hook's way to say "look now". It carries no authority (it only makes change detection poll the repositories it names
/// sooner, and the poll itself decides), so it takes no credentials; it is rate limited across all callers and answers
/// 202, 400 (with what is wrong), 405, 413, 429 or 503, never 500.
/// </summary>
internal sealed class GitHookEndpoint(SourcePollingService poller, SourcePollingOptions options, TimeProvider time)
{
    public const string Path = "/_cairn/hooks/git";
    private const int MaxBodyBytes = 4096;
    private const int MaxRepositoryLength = 1024;

    private readonly object _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;

    public static bool Matches(HttpRequest request) => string.Equals(request.Path.Value, Path, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            var (status, message) = await AnswerAsync(http.Request, http.RequestAborted);
            http.Response.StatusCode = status;
            if (status == StatusCodes.Status405MethodNotAllowed)
            {
                http.Response.Headers.Allow = "POST";
            }

            await http.Response.WriteAsJsonAsync(new Dictionary<string, string> { [status < 300 ? "message" : "error"] = message }, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    private async Task<(int Status, string Message)> AnswerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return (StatusCodes.Status405MethodNotAllowed, $"{Path} takes POST with {{\"repository\": \"owner/name\"}}.");
        }

        if (!options.Enabled)
        {
            return (StatusCodes.Status503ServiceUnavailable, "Change detection is turned off on this server.");
        }

        var body = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(body.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            return (StatusCodes.Status413PayloadTooLarge, $"The body may be at most {MaxBodyBytes} bytes: send only {{\"repository\": \"owner/name\"}}.");
        }

        var repository = request.Query["repository"].ToString();
        if (repository.Length == 0 && length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body.AsMemory(0, length));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("repository", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    repository = value.GetString() ?? string.Empty;
                }
            }
            catch (JsonException)
            {
                return (StatusCodes.Status400BadRequest, "The body is not JSON: send {\"repository\": \"owner/name\"} with Content-Type: application/json.");
            }
        }

        repository = repository.Trim();
        if (repository.Length is 0 or > MaxRepositoryLength || repository.Any(char.IsControl))
        {
            return (StatusCodes.Status400BadRequest,
                $"Name the repository that changed: {{\"repository\": \"owner/name\"}} (its FullRepositoryId, its URL or its path on the server, at most {MaxRepositoryLength} characters).");
        }

        if (!TakeToken())
        {
            return (StatusCodes.Status429TooManyRequests, $"At most {options.HookBurst} hook calls per {options.HookWindow.TotalSeconds:0} s are taken; change detection also polls every {options.Interval.TotalSeconds:0} s.");
        }

        poller.RequestPass(repository);
        return (StatusCodes.Status202Accepted, "Change detection will look at the repository now.");
    }

    private bool TakeToken()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= options.HookWindow)
            {
                _windowStart = now;
                _inWindow = 0;
            }

            return ++_inWindow <= options.HookBurst;
        }
    }
}
