using System.Globalization;
using System.Reflection;
using Cairn.Application.Parameters;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Server.Tests.Ssm;

/// <summary>
/// DescribeParameters and GetParametersByPath's scan over the real SQLite store, its reads counted: a Path or Name
/// filter reads only its key range, a page reads about as many rows as it returns, and paging gives exactly what a
/// full scan filtered row by row gives.
/// </summary>
public sealed class FilteredListingTests : SsmFixture
{
    private const string Folders = "abcdefghijklmnopqrstuvwxyz";
    private readonly RowCountingRepository _counted;
    private readonly ParameterService _parameters;

    public FilteredListingTests()
    {
        _counted = RowCountingRepository.Wrap(Repository);
        _parameters = new ParameterService((IParameterRepository)(object)_counted, new ParameterCrypto(Keys, Authorizer), Authorizer, Time);
    }

    private static ParameterStringFilter Filter(string key, string? option, params string[] values) => new(key, option, values);

    private async Task FillAsync()
    {
        foreach (var folder in Folders)
        {
            for (var i = 0; i < 12; i++)
            {
                await PutAsync(string.Create(CultureInfo.InvariantCulture, $"/{folder}/p{i:00}"), "v");
            }

            await PutAsync($"/{folder}/deep/x", "v");
            await PutAsync($"/{folder}x", "v");
        }

        await PutAsync("/m/p03/under", "v");
    }

    private async Task<(List<string> Keys, int Pages)> AllPagesAsync(IReadOnlyList<ParameterStringFilter> filters, int maxResults)
    {
        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (page, next) = await _parameters.DescribeParametersAsync(Context(), filters, token, maxResults, withLabels: false, default);
            keys.AddRange(page.Select(l => l.Parameter.Key));
            token = next;
            pages++;
        }
        while (token is not null && pages < 1000);

        return (keys, pages);
    }

    private async Task<List<string>> ReferenceAsync(IReadOnlyList<ParameterStringFilter> filters) =>
        (await Repository.ListAsync(new ParameterScope(Account, Region), new ParameterListQuery(string.Empty, null, 100_000, Time.GetUtcNow()), default))
            .Where(l => ParameterFilters.Matches(filters, l)).Select(l => l.Parameter.Key).ToList();

    [Fact]
    public async Task A_filtered_page_reads_rows_in_proportion_to_the_page_not_to_the_store()
    {
        await FillAsync();

        _counted.Rows = 0;
        var (page, token) = await _parameters.DescribeParametersAsync(Context(), [Filter("Name", "BeginsWith", "/y/")], null, 5, withLabels: false, default);
        Assert.Equal(["y/deep/x", "y/p00", "y/p01", "y/p02", "y/p03"], page.Select(l => l.Parameter.Key));
        Assert.NotNull(token);
        Assert.InRange(_counted.Rows, 5, 6);

        _counted.Rows = 0;
        (page, token) = await _parameters.DescribeParametersAsync(Context(), [Filter("Path", "Recursive", "/z")], null, 50, withLabels: false, default);
        Assert.Equal(13, page.Count);
        Assert.Null(token);
        Assert.InRange(_counted.Rows, 13, 14);

        _counted.Rows = 0;
        (page, token) = await _parameters.DescribeParametersAsync(Context(), [Filter("Name", "Equals", "/q/p03", "/r/p07", "/r/nothing")], null, 10, withLabels: false, default);
        Assert.Equal(["q/p03", "r/p07"], page.Select(l => l.Parameter.Key));
        Assert.Null(token);
        Assert.InRange(_counted.Rows, 2, 3);

        // GetParametersByPath's scan: the path's range, one row more than the page.
        _counted.Rows = 0;
        var path = ParameterPath.Parse("/x");
        (page, token) = await _parameters.ScanAsync(new ParameterScope(Account, Region), path.KeyPrefix, null, 10, [], withLabels: false,
            l => path.Contains(l.Parameter.Key, recursive: false), default);
        Assert.Equal(10, page.Count);
        Assert.NotNull(token);
        Assert.InRange(_counted.Rows, 11, 11);
    }

    public static TheoryData<string, int> Combinations => new()
    {
        { "Name BeginsWith /m", 4 },
        { "Name BeginsWith /m/p0 /a/ /mx", 3 },
        { "Name Equals /m/p03 /m /m/p03/under /zz", 1 },
        { "Path OneLevel /m", 5 },
        { "Path Recursive /m /b/deep", 2 },
        { "Path Recursive /m + Name BeginsWith /m/p1", 2 },
        { "Path OneLevel / + Name BeginsWith /m", 2 },
        { "Name Contains p1 + Path Recursive /c", 2 },
        { "Name BeginsWith /", 50 },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Paging_a_filter_gives_exactly_what_filtering_every_row_gives(string description, int maxResults)
    {
        await FillAsync();
        var filters = description.Split(" + ").Select(part =>
        {
            var words = part.Split(' ');
            return Filter(words[0], words[1], words[2..]);
        }).ToList();

        var (keys, pages) = await AllPagesAsync(filters, maxResults);

        Assert.Equal(await ReferenceAsync(filters), keys);
        Assert.True(pages < 1000);
    }

    /// <summary>The real repository, every ListAsync's rows counted.</summary>
    public class RowCountingRepository : DispatchProxy
    {
        private IParameterRepository _inner = null!;

        public int Rows { get; set; }

        public static RowCountingRepository Wrap(IParameterRepository inner)
        {
            var proxy = Create<IParameterRepository, RowCountingRepository>();
            var counting = (RowCountingRepository)(object)proxy;
            counting._inner = inner;
            return counting;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var result = targetMethod.Invoke(_inner, args);
            return targetMethod.Name == nameof(IParameterRepository.ListAsync)
                ? CountAsync((Task<IReadOnlyList<ParameterListing>>)result!)
                : result;
        }

        private async Task<IReadOnlyList<ParameterListing>> CountAsync(Task<IReadOnlyList<ParameterListing>> listing)
        {
            var rows = await listing;
            Rows += rows.Count;
            return rows;
        }
    }
}
