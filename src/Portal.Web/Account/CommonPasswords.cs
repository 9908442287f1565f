using System.IO.Compression;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;

namespace Portal.Web.Account;

/// <summary>
/// Refuses a password found among the million most common ones (those long enough to pass the length rule, about
/// 44,000, compared without case): <c>Password1234</c> passes every composition rule and is guessed first.
/// Read on the first password set, not at start-up: most portal processes never set one.
/// </summary>
public sealed class CommonPasswords : IPasswordValidator<PortalUser>
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static bool IsCommon(string password) => List.Value.Contains(password.ToLowerInvariant());

    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is one of the most common ones, which are guessed first: choose another." })
            : IdentityResult.Success);

    private static HashSet<string> Load()
    {
        using var gzip = new GZipStream(typeof(CommonPasswords).Assembly.GetManifestResourceStream("common-passwords.txt.gz")!, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var list = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('#'))
            {
                list.Add(line);
            }
        }
        return list;
    }
}
