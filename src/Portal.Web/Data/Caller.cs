using System.Security.Claims;
using System.Security.Principal;

namespace Portal.Web.Data;

/// <summary>Who is asking, as the server sees it: taken from the signed-in principal, never from the page.</summary>
public sealed record Caller(string UserName, bool IsOperator, string? TenantKey)
{
    private readonly bool isOperator = IsOperator;
    private readonly string? tenantKey = TenantKey;

    /// <summary>
    /// The signed-in identity this caller was taken from. A page keeps its caller for the circuit's life; when the
    /// session ends (sign-out, lock, removal, role or tenant change, password reset) the identity stops being
    /// authenticated and the caller loses every right at once, in the middle of an open tab.
    /// </summary>
    private IIdentity? Identity { get; init; }

    private bool Live => Identity?.IsAuthenticated != false;

    public bool IsOperator { get => Live && isOperator; init => isOperator = value; }

    public string? TenantKey { get => Live ? tenantKey : null; init => tenantKey = value; }

    public const string OperatorRole = "Operator";
    public const string TenantAdminRole = "TenantAdmin";
    public const string TenantClaim = "portal:tenant";

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Caller("", false, null);
        }
        return new Caller(
            user.Identity.Name ?? "",
            user.IsInRole(OperatorRole),
            user.IsInRole(TenantAdminRole) ? user.FindFirstValue(TenantClaim) : null)
        {
            Identity = user.Identity,
        };
    }

    public bool IsSignedIn => IsOperator || TenantKey is not null;

    /// <summary>Operators reach every tenant; a tenant admin only their own.</summary>
    public bool CanAccessTenant(string? tenantKey) =>
        IsOperator || (TenantKey is not null && string.Equals(TenantKey, tenantKey, StringComparison.Ordinal));
}

/// <summary>The caller may not do this. The attempt has been logged and audited; nothing was read or written.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
