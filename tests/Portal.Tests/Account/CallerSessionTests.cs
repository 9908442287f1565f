using System.Security.Claims;
using Portal.Web.Data;

namespace Portal.Tests.Account;

/// <summary>
/// A page takes its <see cref="Caller"/> once, when it opens. When the session behind it ends, the circuit's identity
/// stops being authenticated (SessionAuthenticationStateProvider), and the caller the page kept must follow it.
/// </summary>
public sealed class CallerSessionTests
{
    [Fact]
    public void A_tenant_admin_caller_taken_before_the_session_ended_reaches_no_tenant_after()
    {
        var identity = new EndingIdentity(new Claim(ClaimTypes.Name, "admin@company-a.test"), new Claim(ClaimTypes.Role, Caller.TenantAdminRole), new Claim(Caller.TenantClaim, "company-a"));
        var caller = Caller.From(new ClaimsPrincipal(identity));
        Assert.True(caller.CanAccessTenant("company-a"));

        identity.End();

        Assert.False(caller.CanAccessTenant("company-a"));
        Assert.Null(caller.TenantKey);
        Assert.False(caller.IsSignedIn);
    }

    [Fact]
    public void An_operator_caller_taken_before_the_session_ended_is_no_operator_after()
    {
        var identity = new EndingIdentity(new Claim(ClaimTypes.Name, "operator@example.test"), new Claim(ClaimTypes.Role, Caller.OperatorRole));
        var caller = Caller.From(new ClaimsPrincipal(identity));
        Assert.True(caller.IsOperator);

        identity.End();

        Assert.False(caller.IsOperator);
        Assert.False(caller.CanAccessTenant("company-b"));
    }

    [Fact]
    public void A_caller_made_by_the_portal_itself_keeps_its_rights() =>
        Assert.True(new Caller("node-config (command line)", IsOperator: true, TenantKey: null).IsOperator);

    /// <summary>What the circuit's identity does when its session ends: it stops being authenticated.</summary>
    private sealed class EndingIdentity(params Claim[] claims) : ClaimsIdentity(claims, "Identity.Application")
    {
        private bool ended;

        public override bool IsAuthenticated => !ended && base.IsAuthenticated;

        public void End() => ended = true;
    }
}
