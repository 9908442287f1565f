namespace Portal.Web.Features.Pins;

/// <summary>
/// A row of the realtime <c>pins</c> table. The classic dialplan looks a PIN up with
/// <c>Realtime(pins|pin|1111-${pin})</c>, so <see cref="Code"/> holds <c>&lt;accountcode&gt;-&lt;digits&gt;</c>.
/// </summary>
public sealed class Pin
{
    public int Id { get; set; }
    public string Company { get; set; } = "";
    public string Code { get; set; } = "";
    public string Active { get; set; } = "yes";
}
