namespace Cairn.Server.Tests.Fuzz;

internal static class BudgetExtensions
{
    /// <summary>Yields items while less than <paramref name="budget"/> has passed since the first was taken.</summary>
    public static IEnumerable<T> TakeWhileWithin<T>(this IEnumerable<T> items, TimeSpan budget)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var item in items)
        {
            if (clock.Elapsed > budget)
            {
                yield break;
            }

            yield return item;
        }
    }
}
