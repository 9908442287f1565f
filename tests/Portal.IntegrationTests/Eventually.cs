using System.Diagnostics;

namespace Portal.IntegrationTests;

/// <summary>
/// Waits for an event a test expects, polling until a generous deadline. A machine busy with other work is slow, not
/// wrong: tests wait for what must happen and never assert how soon (the benchmarks measure that).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Reads until the value satisfies the condition; the value, or a failure naming what did not happen and the last value.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s; last seen: {value}");
            }
            await Task.Delay(20);
        }
    }

    public static Task<T> GetAsync<T>(Func<T> read, Func<T, bool> condition, string what, TimeSpan? deadline = null) =>
        GetAsync(() => Task.FromResult(read()), condition, what, deadline);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        GetAsync(condition, holds => holds, what, deadline);
}
