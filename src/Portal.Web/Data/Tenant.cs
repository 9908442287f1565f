using Portal.Web.Features.OfficeToggles;

namespace Portal.Web.Data;

/// <summary>
/// A company on the cluster. Its <see cref="Key"/> (<c>company-a</c>) ties it to its Asterisk data:
/// <c>pins.company</c>, <c>voicemail.customer_id</c> and the office-closed flag row (<c>extensions.app</c>).
/// Its dialplan and voicemail contexts are listed in <see cref="Contexts"/>.
/// </summary>
public sealed class Tenant
{
    public int Id { get; set; }
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The prefix of the tenant's stored PINs (<c>1111</c> in <c>1111-4321</c>); null until an operator sets it.</summary>
    public string? Accountcode { get; set; }

    public List<TenantContext> Contexts { get; set; } = [];
    public List<OfficeToggle> Toggles { get; set; } = [];
}

public sealed class TenantContext
{
    public int TenantId { get; set; }
    public string Context { get; set; } = "";
}
