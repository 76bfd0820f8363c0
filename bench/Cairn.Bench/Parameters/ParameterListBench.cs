using System.Diagnostics;
using System.Globalization;
using Cairn.Application.Parameters;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Bench.Parameters;

/// <summary>
/// `paramlist [--sizes 1000,10000,100000] [--runs N]`: what a filtered listing page costs as the store grows. For
/// each size a fresh SQLite store is filled (by SQL, in one transaction) with filler parameters under
/// <c>/fill/NN/</c> (100 folders, so one grows with the store) and a fixed folder <c>/svc/app/</c> of 10 parameters
/// that sorts after every filler; then, in-process through <see cref="ParameterService"/> (DescribeParameters as the
/// API calls it; GetParametersByPath's scan as <c>SsmService</c> calls it, without the value decryption), the median of
/// N calls of each listing. Prints a markdown table with each figure's ratio to the smallest size's (the growth factor).
/// </summary>
internal static class ParameterListBench
{
    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Value(args, "--sizes", "1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs", "200"), CultureInfo.InvariantCulture);
        var results = new Dictionary<string, List<(int Size, double Ms, int Found, int Pages)>>();
        foreach (var size in sizes)
        {
            var directory = Directory.CreateTempSubdirectory("cairn-bench-paramlist-").FullName;
            try
            {
                using var database = SqliteDatabase.Open(Path.Combine(directory, "cairn.db"), [SqliteParameterRepository.Migrations]);
                var started = Stopwatch.GetTimestamp();
                await FillAsync(database, size);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size} parameters stored in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
                var repository = new SqliteParameterRepository(database);
                var service = new ParameterService(repository, new ParameterCrypto(null!, RootOnly.Instance) /* listings never decrypt */, RootOnly.Instance, TimeProvider.System);
                var context = new RequestContext(Principal.Root(Scope.AccountId), Scope.Region, "bench", "127.0.0.1", DateTimeOffset.UtcNow);

                async Task<(int Found, int Pages)> Describe(ParameterStringFilter filter)
                {
                    var (found, pages) = (0, 0);
                    string? token = null;
                    do
                    {
                        var (page, next) = await service.DescribeParametersAsync(context, [filter], token, 10, withLabels: false, CancellationToken.None);
                        (found, pages, token) = (found + page.Count, pages + 1, next);
                    }
                    while (token is not null);

                    return (found, pages);
                }

                async Task<(int Found, int Pages)> ByPath(string raw)
                {
                    var path = ParameterPath.Parse(raw);
                    var (page, _) = await service.ScanAsync(Scope, path.KeyPrefix, null, 10, [], withLabels: false,
                        l => path.Contains(l.Parameter.Key, recursive: false), CancellationToken.None);
                    return (page.Count, 1);
                }

                var scenarios = new (string Name, Func<Task<(int, int)>> Run)[]
                {
                    ("DescribeParameters, Path Recursive /svc/app, MaxResults 10, every page", () => Describe(new ParameterStringFilter("Path", "Recursive", ["/svc/app"]))),
                    ("DescribeParameters, Name BeginsWith /svc/app/, MaxResults 10, every page", () => Describe(new ParameterStringFilter("Name", "BeginsWith", ["/svc/app/"]))),
                    ("DescribeParameters, Name Equals /svc/app/p5, every page", () => Describe(new ParameterStringFilter("Name", "Equals", ["/svc/app/p5"]))),
                    ("GetParametersByPath /svc/app (10 entries), MaxResults 10, first page", () => ByPath("/svc/app")),
                    ("GetParametersByPath /fill/07 (size/100 entries), MaxResults 10, first page", () => ByPath("/fill/07")),
                };
                foreach (var (name, run) in scenarios)
                {
                    for (var i = 0; i < 20; i++)
                    {
                        await run();
                    }

                    var times = new List<double>(runs);
                    (int Found, int Pages) last = default;
                    for (var i = 0; i < runs; i++)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        last = await run();
                        times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }

                    times.Sort();
                    if (!results.TryGetValue(name, out var rows))
                    {
                        results[name] = rows = [];
                    }

                    rows.Add((size, times[times.Count / 2], last.Found, last.Pages));
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {times[times.Count / 2]:F3} ms ({last.Found} found, {last.Pages} pages)"));
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        Console.WriteLine("| listing | parameters | found | pages | median ms | growth vs smallest |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, rows) in results)
        {
            foreach (var row in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {row.Size:N0} | {row.Found} | {row.Pages} | {row.Ms:F3} | {row.Ms / rows[0].Ms:F2}x |"));
            }
        }

        return 0;
    }

    private static Task FillAsync(SqliteDatabase database, int size) => database.WriteAsync(connection =>
    {
        void Put(string key)
        {
            connection.Execute("INSERT INTO ssm_parameters (account, region, key, name, version, tier) VALUES (?, ?, ?, ?, 1, 'Standard')",
                Scope.AccountId, Scope.Region, key, "/" + key);
            connection.Execute(
                "INSERT INTO ssm_parameter_versions (account, region, key, version, type, value, data_type, tier, modified_at, modified_by) VALUES (?, ?, ?, 1, 'String', 'plain-value', 'text', 'Standard', 0, 'arn:aws:iam::000000000000:root')",
                Scope.AccountId, Scope.Region, key);
        }

        for (var i = 0; i < size - 10; i++)
        {
            Put(string.Create(CultureInfo.InvariantCulture, $"fill/{i % 100:00}/param-{i}"));
        }

        for (var i = 0; i < 10; i++)
        {
            Put(string.Create(CultureInfo.InvariantCulture, $"svc/app/p{i}"));
        }
    }, CancellationToken.None);

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    internal static string Value(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    /// <summary>Allows the account's root, as the policy authorizer does; denies anyone else (the benches call only as root).</summary>
    internal sealed class RootOnly : IAuthorizer
    {
        public static readonly RootOnly Instance = new();

        public ValueTask AuthorizeAsync(RequestContext context, AccessRequest request, CancellationToken cancellationToken) =>
            context.Principal.IsRoot ? ValueTask.CompletedTask : throw AwsErrors.AccessDenied($"{context.Principal.Arn} is not the account root");
    }
}
