using System.Security.Cryptography;

namespace Portal.Web.Features.Pins;

/// <summary>The stored form of a PIN (<c>&lt;accountcode&gt;-&lt;digits&gt;</c>): masking it, splitting it, making new ones.</summary>
public static class PinCodes
{
    /// <summary>Lists show the accountcode only; the mask has a fixed width so it does not leak the PIN's length.</summary>
    public static string Mask(string stored) => stored.IndexOf('-') is var dash and >= 0 ? stored[..(dash + 1)] + "••••" : "••••";

    /// <summary>The digits after the accountcode's dash; the whole value when it has no dash.</summary>
    public static string DigitsOf(string stored) => stored.IndexOf('-') is var dash and >= 0 ? stored[(dash + 1)..] : stored;

    /// <summary>
    /// <paramref name="count"/> new random PINs of <paramref name="length"/> digits, none of them in <paramref name="taken"/>
    /// nor twice in the result. Digits come from a cryptographic generator: a PIN guards paid calls.
    /// </summary>
    public static IReadOnlyList<string> Generate(int count, int length, IReadOnlySet<string> taken)
    {
        if (!HasRoom(count, length, taken.Count))
        {
            throw new ArgumentException($"{count} new PINs of {length} digits would fill more than half of the {length}-digit space; choose more digits.", nameof(count));
        }
        var made = new HashSet<string>(count);
        while (made.Count < count)
        {
            var digits = RandomNumberGenerator.GetString("0123456789", length);
            if (!taken.Contains(digits))
            {
                made.Add(digits);
            }
        }
        return [.. made];
    }

    /// <summary>
    /// Whether <paramref name="count"/> more PINs fit in half of the space of <paramref name="length"/>-digit numbers:
    /// beyond that, guessing a valid PIN gets easy and drawing unused ones slow.
    /// </summary>
    public static bool HasRoom(int count, int length, int taken) => (taken + (double)count) * 2 <= Math.Pow(10, length);
}
