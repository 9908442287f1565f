using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Portal.Web.Setup;

/// <summary>
/// The checks the options classes share, and the one place start-up runs them: a bad setting stops the portal before
/// a migration, a command or a background loop runs, with the key to fix and the range it must lie in. A zero interval
/// would spin a loop; a timeout shorter than a round trip would call every node down.
/// </summary>
public static class Settings
{
    /// <summary>A problem when <paramref name="value"/> lies outside [<paramref name="least"/>, <paramref name="most"/>]; <paramref name="key"/> as in configuration ("Section:Name").</summary>
    public static IEnumerable<ValidationResult> Between(TimeSpan value, TimeSpan least, TimeSpan most, string key)
    {
        if (value < least || value > most)
        {
            yield return new ValidationResult($"{key} is {Format(value)}; it must lie between {Format(least)} and {Format(most)}.", [Member(key)]);
        }
    }

    /// <summary>A problem when <paramref name="value"/> is shorter than another setting it must cover.</summary>
    public static IEnumerable<ValidationResult> AtLeast(TimeSpan value, TimeSpan other, string key, string otherKey, string why)
    {
        if (value < other)
        {
            yield return new ValidationResult($"{key} is {Format(value)}; it must be at least {otherKey} ({Format(other)}): {why}.", [Member(key)]);
        }
    }

    /// <summary>Every options class registered with ValidateOnStart, checked now; the problems in words, or null when there are none.</summary>
    public static string? Problems(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return string.Join(Environment.NewLine, e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            return string.Join(Environment.NewLine, e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures));
        }
    }

    private static string Member(string key) => key[(key.LastIndexOf(':') + 1)..];

    private static string Format(TimeSpan value) =>
        value.TotalSeconds < 1 ? $"{value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms"
        : value.TotalMinutes < 1 ? $"{value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
        : value.TotalHours < 1 ? $"{value.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} min"
        : $"{value.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h";
}
