namespace Portal.Web;

/// <summary>The authorization policies, in one place. Pages use them; commands check the caller themselves as well.</summary>
public static class Policies
{
    public const string Operator = "Operator";

    /// <summary>Operators and tenant admins; which tenant's rows a caller reaches is checked by each query and command.</summary>
    public const string TenantData = "TenantData";
}
