using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Data;

/// <summary>A person who signs in: an operator (all tenants) or the admin of one tenant.</summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>The tenant a tenant admin runs; null for operators.</summary>
    public int? TenantId { get; set; }

    public Tenant? Tenant { get; set; }
}
