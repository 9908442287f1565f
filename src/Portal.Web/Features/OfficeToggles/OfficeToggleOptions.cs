namespace Portal.Web.Features.OfficeToggles;

/// <summary>How the flag rows are watched. Bound from "OfficeToggles".</summary>
public sealed class OfficeToggleOptions
{
    public const string Section = "OfficeToggles";

    /// <summary>While a page shows a toggle: the master and every replica are read this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>While nobody looks: only the master is read, to notice flips made from a phone.</summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A node that has not answered within this is shown as unreachable for that round.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A round that has not finished within this fails, and pages say the toggles are not being read.</summary>
    public TimeSpan RoundTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
