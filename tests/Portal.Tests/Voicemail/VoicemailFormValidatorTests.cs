using Portal.Web.Data;
using Portal.Web.Features.Voicemail;

namespace Portal.Tests.Voicemail;

public class VoicemailFormValidatorTests
{
    private static readonly RealtimeSchema Classic = ClassicSchema();

    /// <summary>The classic schema's voicemail.password varchar(5), which a hand-made asteriskdb still has (ours is wider).</summary>
    private static RealtimeSchema ClassicSchema()
    {
        var sizes = RealtimeSchema.ParseCreateTables(File.ReadAllText(Path.Combine(Migrator.Folder, "0001_asterisk_realtime_tables.sql")));
        sizes[("voicemail", "password")] = 5;
        return new RealtimeSchema(sizes);
    }

    private static VoicemailForm Valid() => new() { Context = "company-a", Mailbox = "1001", Password = "4321", Fullname = "Reception", Email = "desk@company-a.test" };

    private static IReadOnlyList<string> Errors(VoicemailForm form, RealtimeSchema? schema = null, VoicemailOptions? options = null) =>
        new VoicemailFormValidator(schema ?? Classic, options ?? new VoicemailOptions()).Validate(form).Errors.Select(e => e.ErrorMessage).ToList();

    [Fact]
    public void A_complete_box_with_classic_values_is_valid()
    {
        Assert.Empty(Errors(Valid()));
    }

    [Theory]
    [InlineData("12345", null)]
    [InlineData("123456", "at most 5 digits")]
    [InlineData("12a4", "digits only")]
    [InlineData("123", "at least 4")]
    public void The_password_is_digits_within_the_classic_varchar_5(string password, string? message)
    {
        var form = Valid();
        form.Password = password;

        var errors = Errors(form);

        if (message is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Contains(message));
        }
    }

    [Fact]
    public void A_wider_password_column_allows_longer_passwords()
    {
        var columns = RealtimeSchema.ParseCreateTables(File.ReadAllText(Path.Combine(Migrator.Folder, "0001_asterisk_realtime_tables.sql")));
        columns[("voicemail", "password")] = 10;
        var wide = new RealtimeSchema(columns);
        var form = Valid();
        form.Password = "12345678";

        Assert.Empty(Errors(form, wide));
    }

    [Fact]
    public void A_new_box_needs_a_password_and_an_edit_keeps_the_stored_one_when_empty()
    {
        var form = Valid();
        form.Password = "";

        Assert.Contains(Errors(form), e => e.Contains("needs one"));
        form.IsEdit = true;
        Assert.Empty(Errors(form));
    }

    [Theory]
    [InlineData("10a1", "digits only")]
    [InlineData("123456789012", "at most 11")]
    [InlineData("", "type its number")]
    public void The_mailbox_is_digits_within_its_column(string mailbox, string message)
    {
        var form = Valid();
        form.Mailbox = mailbox;

        Assert.Contains(Errors(form), e => e.Contains(message));
    }

    [Theory]
    [InlineData("not-an-address", "not a valid address")]
    [InlineData("a-rather-long-name-for-a-mailbox@company-a.example.test", "at most 50")]
    public void The_email_is_validated_and_fits_its_column(string email, string message)
    {
        var form = Valid();
        form.Email = email;

        Assert.Contains(Errors(form), e => e.Contains(message));
    }

    [Fact]
    public void The_email_may_stay_empty()
    {
        var form = Valid();
        form.Email = "";

        Assert.Empty(Errors(form));
    }

    [Fact]
    public void The_time_zone_is_one_the_nodes_know()
    {
        var form = Valid();
        form.Tz = "pacific";

        Assert.Contains(Errors(form), e => e.Contains("one of eastern, central"));
        Assert.Empty(Errors(form, options: new VoicemailOptions { TimeZones = ["pacific", "central"] }));
    }

    [Fact]
    public void A_configured_zone_name_longer_than_the_tz_column_is_refused()
    {
        var form = Valid();
        form.Tz = "europe-central";

        Assert.Contains(Errors(form, options: new VoicemailOptions { TimeZones = ["europe-central"] }), e => e.Contains("at most 10"));
    }

    [Fact]
    public void Switches_start_at_the_classic_column_defaults()
    {
        var form = new VoicemailForm();

        Assert.Equal((true, true, false, false, false, true, true), (form.Attach, form.Saycid, form.Review, form.Delete, form.Envelope, form.Nextaftercmd, form.Hidefromdir));
        Assert.Equal("central", new VoicemailOptions().DefaultZone);
    }

    [Fact]
    public void Applying_an_edit_keeps_the_uniqueid_and_an_empty_password_keeps_the_stored_one()
    {
        var box = new VoicemailBox { Uniqueid = 42, Password = "9876", Attach = "yes", Fullname = "Old" };
        var form = VoicemailForm.From(box);
        form.Fullname = "New";
        form.Attach = false;

        form.ApplyTo(box, "company-a");

        Assert.Equal((42, "9876", "New", "no", "company-a"), (box.Uniqueid, box.Password, box.Fullname, box.Attach, box.CustomerId));
    }
}
