namespace Portal.Web.Features.OfficeToggles;

/// <summary>
/// A named office-closed toggle of a tenant (portal database). It is backed by the flag row of the realtime
/// <c>extensions</c> table whose <c>app</c> is <see cref="Key"/> and whose <c>appdata</c> is <c>on</c> or <c>off</c>:
/// the row <c>RealTimeUpdate(extensions|app|company-a|appdata|on)</c> changes when someone dials *20.
/// </summary>
public sealed class OfficeToggle
{
    public const string DefaultName = "Office closed";

    public int Id { get; set; }
    public int TenantId { get; set; }
    public string Name { get; set; } = DefaultName;
    public string Key { get; set; } = "";

    /// <summary>The flag rows' value as the portal last wrote or saw it; null while they are missing.</summary>
    public string? KnownState { get; set; }

    /// <summary>Raised on every change of <see cref="KnownState"/>; 0 means never observed yet.</summary>
    public int KnownVersion { get; set; }
}
