using System.Text;

namespace Portal.Asterisk.Nodes;

/// <summary>
/// The Asterisk side of a node: the MySQL realtime driver's connections, the realtime families, chan_sip's realtime
/// settings, asterisk.conf's compatibility switch and an extensions.conf that hands every context to the realtime
/// switch.
/// </summary>
public static class AsteriskFiles
{
    /// <summary>The res_config_mysql.conf sections that extconfig.conf names as <c>read/write</c>.</summary>
    public const string ReadSection = "replica";

    public const string WriteSection = "master";

    public const string ExtConfigFileName = "extconfig.conf";
    public const string SipRealtimeFileName = "sip_realtime.conf";
    public const string AsteriskConfFileName = "asterisk.conf";
    public const string ExtensionsConfFileName = "extensions.conf";
    public const string ManagerConfFileName = "manager.conf";

    /// <summary>The realtime families a classic node maps, each to its table.</summary>
    public static IReadOnlyList<(string Family, string Table, string Why)> Families { get; } =
    [
        ("sipusers", "sip", "chan_sip's users (type=user and friends)"),
        ("sippeers", "sip", "chan_sip's peers"),
        ("extensions", "extensions", "the dialplan, read by switch => Realtime/@"),
        ("voicemail", "voicemail", "the mailboxes"),
        ("pins", "pins", "the PINs the dialplan looks up in this family"),
    ];

    public static string MysqlDriver(NodeSpec spec)
    {
        var text = Header(spec, spec.Asterisk.MysqlDriverFile);
        if (!spec.Asterisk.SplitsReadsAndWrites)
        {
            text.Append($"; This driver (asterisk-addons {spec.Asterisk.Label}) has a single connection for reads and writes, so it\n")
                .Append("; cannot read the node's replica and write to the master. It reads the replica: sip_realtime.conf\n")
                .Append("; turns rtupdate off, and RealTimeUpdate() or a voicemail password changed from a phone fails on\n")
                .Append("; this node (the replica is read-only). Asterisk 1.6 and later split reads from writes.\n")
                .Append(";\n");
            AppendLocalhostWarning(text);
            text.Append("[general]\n");
            AppendConnection(text, "127.0.0.1", spec.ReplicaPort, spec, requirements: false);
            return text.ToString();
        }

        text.Append($"; Two connections, named in extconfig.conf as \"{ReadSection}/{WriteSection}\": res_config_mysql reads through the\n")
            .Append("; first and writes (registrations, RealTimeUpdate(), voicemail passwords) through the second.\n")
            .Append("; requirements = warn: the driver never alters a table (createclose and createchar would try to).\n")
            .Append(";\n")
            .Append("; Reads: this node's own replica.\n");
        AppendLocalhostWarning(text);
        text.Append($"[{ReadSection}]\n");
        AppendConnection(text, "127.0.0.1", spec.ReplicaPort, spec, requirements: true);
        text.Append('\n')
            .Append($"; Writes: the master, where the {spec.Credentials.AsteriskUser} account may update only the columns Asterisk writes.\n")
            .Append($"[{WriteSection}]\n");
        AppendConnection(text, spec.MasterHost, spec.MasterPort, spec, requirements: true);
        return text.ToString();
    }

    public static string ExtConfig(NodeSpec spec)
    {
        var database = spec.Asterisk.SplitsReadsAndWrites ? $"{ReadSection}/{WriteSection}" : spec.Database;
        var text = Header(spec, ExtConfigFileName);
        text.Append(spec.Asterisk.SplitsReadsAndWrites
                ? $"; family => driver,database,table. \"{database}\": reads from the [{ReadSection}] section of res_config_mysql.conf,\n; writes to its [{WriteSection}] section.\n"
                : $"; family => driver,database,table. With res_mysql.conf the database field is the MySQL database itself.\n")
            .Append("[settings]\n");
        foreach (var (family, table, why) in Families)
        {
            text.Append($"; {why}\n").Append($"{family} => mysql,{database},{table}\n");
        }
        return text.ToString();
    }

    public static string SipRealtime(NodeSpec spec)
    {
        var text = Header(spec, SipRealtimeFileName)
            .Append("; chan_sip's realtime settings. Include this file inside the [general] section of\n")
            .Append("; /etc/asterisk/sip.conf:\n")
            .Append(";   [general]\n")
            .Append($";   #include {SipRealtimeFileName}\n")
            .Append(";\n")
            .Append("; Keep a peer in memory once it is loaded, so qualify and MWI work for it. A change made in the\n")
            .Append("; portal reaches a cached peer only when it is loaded again: \"sip prune realtime all\".\n")
            .Append("rtcachefriends=yes\n")
            .Append("; The realm the portal makes md5secret with. Unset, chan_sip challenges with asterisk.conf's\n")
            .Append("; systemname when there is one, and every md5secret peer fails with \"Wrong password\".\n")
            .Append($"realm={spec.SipRealm}\n");
        if (spec.Asterisk.SplitsReadsAndWrites)
        {
            text.Append("; Write registrations to the sip table (through the master, extconfig.conf's write side), so\n")
                .Append("; every node knows where a phone is.\n")
                .Append("rtupdate=yes\n");
        }
        else
        {
            text.Append("; Off: res_mysql.conf reads the read-only replica, where a registration UPDATE fails. Phones\n")
                .Append("; registered here are known to this node only.\n")
                .Append("rtupdate=no\n");
        }
        text.Append("; Drop a cached peer when its registration expires, as if it had never been loaded.\n")
            .Append("rtautoclear=yes\n");
        if (spec.Asterisk.SavesSystemName)
        {
            text.Append("; Write asterisk.conf's systemname into sip.regserver on registration: which node a phone is on.\n")
                .Append("rtsavesysname=yes\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// manager.conf: the manager interface bound to the address the portal reaches, one user with the classes the
    /// portal's actions need (<see cref="NodeManager"/>), reachable from loopback only when it is bound there.
    /// </summary>
    public static string ManagerConf(NodeSpec spec, NodeManager manager)
    {
        var loopback = System.Net.IPAddress.TryParse(manager.Host, out var address) && System.Net.IPAddress.IsLoopback(address);
        var text = Header(spec, ManagerConfFileName)
            .Append("[general]\n")
            .Append("enabled = yes\n")
            .Append($"bindaddr = {manager.Host}\n")
            .Append($"port = {manager.Port}\n")
            .Append('\n')
            .Append("; The portal's user: the secret is the one given on the portal's Nodes page.\n")
            .Append($"[{manager.User}]\n")
            .Append($"secret = {NodeManager.SecretPlaceholder}\n")
            .Append("deny = 0.0.0.0/0.0.0.0\n")
            .Append(loopback
                ? "permit = 127.0.0.1/255.255.255.255\n"
                : "; Replace with the portal's own address: only it may log in.\npermit = <portal-address>/255.255.255.255\n")
            .Append($"read = {NodeManager.ReadClasses}\n")
            .Append($"write = {NodeManager.WriteClasses}\n");
        return text.ToString();
    }

    public static string AsteriskConf(NodeSpec spec)
    {
        var asterisk = spec.Asterisk;
        var text = Header(spec, AsteriskConfFileName);
        if (asterisk.ReadsPipesNatively)
        {
            return text.Append($"; Nothing to change in asterisk.conf: {asterisk} separates the realtime dialplan's\n")
                .Append("; arguments at '|' itself, and its chan_sip does not write sip.regserver.\n")
                .ToString();
        }
        text.Append("; Merge these lines into the same sections of /etc/asterisk/asterisk.conf (a second [options]\n")
            .Append("; section would be ignored), then restart Asterisk: it reads asterisk.conf at start-up only.\n")
            .Append("[options]\n")
            .Append("; chan_sip writes it into sip.regserver (rtsavesysname); it also prefixes channel uniqueids.\n")
            .Append($"systemname = {spec.Name}\n");
        if (asterisk.NeedsCompatOption)
        {
            text.Append('\n')
                .Append("[compat]\n")
                .Append("; The dialplan in the database separates application arguments with '|'. From 1.6 on Asterisk\n")
                .Append("; splits them at ',' only, unless pbx_realtime behaves like 1.4: then it turns every '|'\n")
                .Append("; outside $[ ] into ',' and escapes the commas that were there.\n")
                .Append("pbx_realtime = 1.4\n");
        }
        else
        {
            text.Append('\n')
                .Append($"; No [compat] section: Asterisk 13 removed the pbx_realtime compatibility option, and {asterisk}\n")
                .Append("; splits application arguments at ',' only. Every '|' in the database reaches the application as\n")
                .Append("; text: Dial(SIP/1001|20) dials \"SIP/1001|20\". Rewrite the dialplan with ',' before this node\n")
                .Append("; takes calls, or run Asterisk 12 or older.\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// extensions.conf with a stanza per context. <c>Realtime/@</c> leaves both the context and the family empty, and
    /// pbx_realtime then uses the context being dialled and the <c>extensions</c> family of extconfig.conf.
    /// </summary>
    public static string ExtensionsConf(NodeSpec spec)
    {
        var contexts = ContextList.Normalize(spec.Contexts);
        var written = contexts.Where(c => ContextList.Unwritable(c) is null).ToList();
        var text = Header(spec, ExtensionsConfFileName)
            .Append($"; The {written.Count} context(s) of the database when this file was generated. Regenerate it when\n")
            .Append("; contexts are added (the portal's Nodes page shows when it is out of date): a context missing\n")
            .Append("; here is \"not found\" on this node. The dialplan itself stays in the extensions table; each\n")
            .Append("; context here hands its calls to the realtime switch.\n");
        foreach (var context in contexts)
        {
            if (ContextList.Unwritable(context) is { } why)
            {
                text.Append($"; Not written: context \"{string.Concat(context.Select(c => char.IsControl(c) ? ' ' : c))}\" ({why}).\n");
            }
        }
        text.Append("[general]\n")
            .Append("static=yes\n")
            .Append("; \"dialplan save\" must not overwrite this file.\n")
            .Append("writeprotect=yes\n");
        foreach (var context in written)
        {
            text.Append('\n').Append($"[{context}]\n").Append("switch => Realtime/@\n");
        }
        return text.ToString();
    }

    private static StringBuilder Header(NodeSpec spec, string file) =>
        new StringBuilder()
            .Append($"; {file} for Asterisk node {spec.Name} ({spec.Asterisk}).\n")
            .Append("; Generated by the Asterisk Realtime Portal: regenerate it rather than edit it.\n");

    private static void AppendLocalhostWarning(StringBuilder text) =>
        text.Append("; dbhost is 127.0.0.1, never \"localhost\": with localhost the MySQL client library ignores dbport\n")
            .Append("; and connects to the unix socket, whichever server that belongs to.\n");

    private static void AppendConnection(StringBuilder text, string host, int port, NodeSpec spec, bool requirements)
    {
        text.Append($"dbhost = {host}\n")
            .Append($"dbport = {port}\n")
            .Append($"dbname = {spec.Database}\n")
            .Append($"dbuser = {spec.Credentials.AsteriskUser}\n")
            .Append($"dbpass = {ConfValue(spec.Credentials.AsteriskPassword)}\n");
        if (requirements)
        {
            // The tables are utf8mb4; the asterisk-addons 1.2/1.4 driver has no dbcharset and ignores it.
            text.Append("dbcharset = utf8mb4\n")
                .Append("requirements = warn\n");
        }
    }

    /// <summary>In Asterisk's config files a ';' starts a comment; <c>\;</c> is a literal semicolon.</summary>
    private static string ConfValue(string value) => value.Replace(";", "\\;");
}
