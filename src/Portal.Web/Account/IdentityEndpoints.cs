using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Data;

namespace Portal.Web.Account;

public static class IdentityEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so no link on another site can sign a user out.</summary>
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async Task<IResult> (HttpContext http, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<PortalUser> signInManager) =>
        {
            // Checked here rather than by form binding, whose failure is a 500 page.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Text("This sign-out did not come from the portal's Sign out button: you are still signed in. Sign out with the button.", statusCode: StatusCodes.Status400BadRequest);
            }
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect($"~/Account/Login");
        });
        return account;
    }
}
