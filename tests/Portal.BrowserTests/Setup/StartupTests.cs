using System.Diagnostics;

namespace Portal.BrowserTests.Setup;

/// <summary>The portal started as an operator starts it, with settings it must refuse.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_bad_setting_stops_the_portal_before_it_touches_the_master_and_names_the_key()
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = PortalServer.WebOutput, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(PortalServer.WebOutput, "Portal.Web.dll"));
        // A command that goes to the master first thing; nothing listens there, so had start-up gone on, it would
        // have failed on the connection instead.
        start.ArgumentList.Add("migrate");
        start.Environment["Database__Master"] = "Server=127.0.0.1;Port=1;User ID=portal;Password=none;Database=asteriskdb";
        start.Environment["Database__Migrator"] = "Server=127.0.0.1;Port=1;User ID=migrator;Password=none";
        start.Environment["OfficeToggles__PollInterval"] = "00:00:00";
        start.Environment["MasterProbe__Timeout"] = "00:00:05";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}:\n{await output}\n{await errors}");
        Assert.StartsWith("The portal cannot start, its settings are wrong:", await errors);
        Assert.Contains("OfficeToggles:PollInterval is 0 ms; it must lie between 50 ms and 1 min.", await errors);
        Assert.Contains("MasterProbe:DownAfter is 3 s; it must be at least MasterProbe:Timeout (5 s)", await errors);
        Assert.DoesNotContain("applied", await output);
    }
}
