namespace Portal.Web.Account;

/// <summary>One signed-in browser: its id is in the auth cookie, and a cookie whose row is gone is refused.</summary>
public sealed class PortalSession
{
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
