using System.ComponentModel.DataAnnotations;
using Portal.Web.Setup;

namespace Portal.Web.Features.OfficeToggles;

/// <summary>How the flag rows are watched. Bound from "OfficeToggles".</summary>
public sealed class OfficeToggleOptions : IValidatableObject
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
    [
        .. Settings.Between(PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), "OfficeToggles:PollInterval"),
        .. Settings.Between(IdleInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1), "OfficeToggles:IdleInterval"),
        .. Settings.Between(NodeTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "OfficeToggles:NodeTimeout"),
        .. Settings.Between(RoundTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "OfficeToggles:RoundTimeout"),
        .. Settings.AtLeast(RoundTimeout, NodeTimeout, "OfficeToggles:RoundTimeout", "OfficeToggles:NodeTimeout", "a round waits for its slowest node"),
    ];
}
