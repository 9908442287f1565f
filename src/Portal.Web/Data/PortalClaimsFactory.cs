using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Portal.Web.Data;

/// <summary>Adds the tenant key to a tenant admin's sign-in, so every server-side check can read it from the principal.</summary>
public sealed class PortalClaimsFactory(UserManager<PortalUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, PortalDb db)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.TenantId is { } tenantId)
        {
            var key = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Key).SingleAsync();
            identity.AddClaim(new Claim(Caller.TenantClaim, key));
        }
        return identity;
    }
}
