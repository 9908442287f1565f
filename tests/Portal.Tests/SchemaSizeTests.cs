using Portal.Web.Data;

namespace Portal.Tests;

/// <summary>The portal's own migration makes the columns as wide as what Asterisk writes into them.</summary>
public class SchemaSizeTests
{
    private readonly RealtimeSchema schema = RealtimeSchema.FromMigration();

    [Fact]
    public void A_113_character_user_agent_fits() => Assert.True(schema.MaxLength("sip", "useragent") >= 113);

    [Fact]
    public void A_255_character_contact_fits_after_its_semicolons_grow_to_3B()
    {
        // A Contact of 255 characters with one ';' in 17 (the node's 247-character one had 14) stores 255 + 2 * 15.
        Assert.True(schema.MaxLength("sip", "fullcontact") >= 255 + (2 * 15));
    }

    [Fact]
    public void Voicemail_password_holds_what_app_voicemail_requires() => Assert.True(schema.MaxLength("voicemail", "password") >= 10);

    [Fact]
    public void Sip_has_the_callbackextension_chan_sip_11_selects_at_reload() => Assert.True(schema.HasColumn("sip", "callbackextension"));
}
