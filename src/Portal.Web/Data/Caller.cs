using System.Security.Claims;

namespace Portal.Web.Data;

/// <summary>Who is asking, as the server sees it: taken from the signed-in principal, never from the page.</summary>
public sealed record Caller(string UserName, bool IsOperator, string? TenantKey)
{
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
            user.IsInRole(TenantAdminRole) ? user.FindFirstValue(TenantClaim) : null);
    }

    public bool IsSignedIn => IsOperator || TenantKey is not null;

    /// <summary>Operators reach every tenant; a tenant admin only their own.</summary>
    public bool CanAccessTenant(string? tenantKey) =>
        IsOperator || (TenantKey is not null && string.Equals(TenantKey, tenantKey, StringComparison.Ordinal));
}

/// <summary>The caller may not do this. The attempt has been logged and audited; nothing was read or written.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
