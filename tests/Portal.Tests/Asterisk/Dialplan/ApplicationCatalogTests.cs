using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class ApplicationCatalogTests
{
    [Fact]
    public void Catalog_holds_the_common_applications()
    {
        string[] common =
        [
            "Answer", "Hangup", "Dial", "Goto", "GotoIf", "GotoIfTime", "Gosub", "GosubIf", "Return", "Macro",
            "Set", "NoOp", "Playback", "Background", "WaitExten", "Read", "VoiceMail", "VoiceMailMain", "Queue",
            "MeetMe", "ConfBridge", "Authenticate", "RealTime", "RealTimeUpdate", "SayDigits", "SayNumber",
            "Wait", "Congestion", "Busy", "Progress", "Ringing", "Record", "Echo", "System", "AGI", "ExecIf",
            "Directory", "ChanSpy", "Page", "Pickup", "MixMonitor",
        ];

        Assert.All(common, name => Assert.NotNull(ApplicationCatalog.Find(name)));
        Assert.True(ApplicationCatalog.All.Count >= 120);
    }

    [Fact]
    public void Catalog_names_are_unique_and_synopses_use_pipes()
    {
        Assert.Equal(ApplicationCatalog.All.Count, ApplicationCatalog.All.Select(a => a.Name.ToLowerInvariant()).Distinct().Count());
        Assert.All(ApplicationCatalog.All, a =>
        {
            Assert.StartsWith(a.Name + "(", a.Synopsis);
            Assert.DoesNotContain(',', a.Synopsis);
        });
    }

    [Fact]
    public void Dial_synopsis_is_in_pipe_form()
    {
        Assert.Equal("Dial(Technology/Resource[&Technology2/Resource2...][|timeout[|options[|URL]]])", ApplicationCatalog.Find("Dial")?.Synopsis);
    }

    [Theory]
    [InlineData("gotoif")]
    [InlineData("GOTOIF")]
    [InlineData(" GotoIf ")]
    public void Find_ignores_case_like_asterisk(string name)
    {
        Assert.Equal("GotoIf", ApplicationCatalog.Find(name)?.Name);
    }

    [Fact]
    public void Find_returns_null_for_an_unknown_name()
    {
        Assert.Null(ApplicationCatalog.Find("Gotof"));
    }

    [Theory]
    [InlineData("Gotof", "GotoIf")]
    [InlineData("Gotolf", "GotoIf")]
    [InlineData("Playbak", "Playback")]
    [InlineData("Backgrund", "Background")]
    [InlineData("VoiceMialMain", "VoiceMailMain")]
    [InlineData("noop", "NoOp")]
    public void Suggest_offers_the_closest_name_first(string typed, string expected)
    {
        Assert.Equal(expected, ApplicationCatalog.Suggest(typed).FirstOrDefault()?.Name);
    }

    [Fact]
    public void Suggest_offers_nothing_for_a_name_far_from_all()
    {
        Assert.Empty(ApplicationCatalog.Suggest("Frobnicate"));
    }
}
