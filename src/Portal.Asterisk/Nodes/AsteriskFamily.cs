namespace Portal.Asterisk.Nodes;

/// <summary>
/// A major release line of Asterisk, as far as a classic realtime node cares: how it reads pipe-separated
/// appdata, how its MySQL realtime driver is configured, and which CLI words it understands.
/// </summary>
public sealed record AsteriskFamily
{
    private AsteriskFamily(string label, Version version)
    {
        Label = label;
        Version = version;
    }

    /// <summary>The families with chan_sip and the classic <c>sip</c> table: chan_sip was removed in Asterisk 21.</summary>
    public static IReadOnlyList<AsteriskFamily> All { get; } =
        new[] { "1.2", "1.4", "1.6", "1.8", "10", "11", "12", "13", "16", "18", "20" }
            .Select(label => new AsteriskFamily(label, System.Version.Parse(label.Contains('.') ? label : label + ".0")))
            .ToList();

    public static AsteriskFamily Default { get; } = All.Single(f => f.Label == "11");

    public string Label { get; }

    public Version Version { get; }

    /// <summary>1.2 and 1.4 separate appdata arguments with <c>|</c> themselves.</summary>
    public bool ReadsPipesNatively => Version < new Version(1, 6);

    /// <summary>
    /// 1.6 to 12 read pipes only with <c>[compat] pbx_realtime=1.4</c> in asterisk.conf (pbx_realtime.c then turns
    /// <c>|</c> into <c>,</c> outside <c>$[ ]</c>). UPGRADE-13.txt: "The asterisk compatibility options in
    /// asterisk.conf have been removed".
    /// </summary>
    public bool NeedsCompatOption => !ReadsPipesNatively && Version.Major < 13;

    /// <summary>13 and later split appdata on commas only: a <c>|</c> reaches the application as text.</summary>
    public bool IgnoresPipes => Version.Major >= 13;

    /// <summary>
    /// res_config_mysql from 1.6 on reads res_config_mysql.conf with named sections, and an extconfig.conf database
    /// of the form <c>read/write</c> sends reads to the first section and writes to the second (find_database in
    /// res_config_mysql.c). 1.2 and 1.4 (asterisk-addons) read one <c>[general]</c> from res_mysql.conf and use the
    /// extconfig.conf database field as the MySQL database name: one connection for reads and writes.
    /// </summary>
    public bool SplitsReadsAndWrites => !ReadsPipesNatively;

    /// <summary>
    /// The applications <c>RealTime</c> and <c>RealTimeUpdate</c> exist up to 1.4; from 1.6 on the same read and
    /// write are the functions <c>REALTIME_FIELD</c> and <c>REALTIME</c>, and a row calling the applications fails at
    /// call time with "No such application 'RealTime'" (measured on 11.25.3).
    /// </summary>
    public bool HasRealtimeApplications => ReadsPipesNatively;

    public string MysqlDriverFile => SplitsReadsAndWrites ? "res_config_mysql.conf" : "res_mysql.conf";

    /// <summary><c>rtsavesysname</c> (chan_sip writes asterisk.conf's systemname into <c>sip.regserver</c>) came with 1.6.</summary>
    public bool SavesSystemName => SplitsReadsAndWrites;

    /// <summary>1.2 called it <c>extensions reload</c>; 1.4 renamed it.</summary>
    public string DialplanReloadCommand => Version < new Version(1, 4) ? "extensions reload" : "dialplan reload";

    /// <summary>1.6 moved the restart commands under <c>core</c>.</summary>
    public string RestartCommand => Version < new Version(1, 6) ? "restart when convenient" : "core restart when convenient";

    public static AsteriskFamily? Find(string? label) => All.FirstOrDefault(f => f.Label == label);

    /// <summary>
    /// The family of a release as a node reports it (CoreSettings' AsteriskVersion: <c>11.25.3</c>, <c>1.8.32.3</c>,
    /// <c>certified/13.21-cert3</c>): the newest family not newer than the release, or null when it names none.
    /// </summary>
    public static AsteriskFamily? OfRelease(string release)
    {
        var numbers = release[(release.LastIndexOf('/') + 1)..].Split('.', '-');
        if (numbers.Length < 2 || !int.TryParse(numbers[0], out var major) || !int.TryParse(numbers[1], out var minor))
        {
            return null;
        }
        // 1.x releases are named by their first two numbers, later ones by the first alone.
        var version = major == 1 ? new Version(1, minor) : new Version(major, 0);
        return All.LastOrDefault(f => f.Version <= version);
    }

    public override string ToString() => "Asterisk " + Label;
}
