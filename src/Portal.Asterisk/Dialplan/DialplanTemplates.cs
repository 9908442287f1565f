using Portal.Asterisk.Nodes;

namespace Portal.Asterisk.Dialplan;

/// <summary>
/// The classic realtime dialplans as rows, for a new context in the editor and for the demo alike: the tenant's
/// auto-attendant with its office-closed check, *20/*21 feature codes and flag row; the PIN-authenticated
/// long-distance route; a direct-dial extension. The realtime reads and writes are written for the cluster's Asterisk:
/// the applications RealTime and RealTimeUpdate up to 1.4, the functions REALTIME_FIELD and REALTIME from 1.6 on.
/// </summary>
public static class DialplanTemplates
{
    /// <summary>The exten of the flag row: a name no keypad can dial, so the row is never run as a step.</summary>
    public const string FlagExten = "office-closed";

    /// <summary>
    /// The auto-attendant of the classic examples. The flag row (<c>app</c> = the tenant key, <c>appdata</c> on or
    /// off) is read on every call and written from *20 (closed) and *21 (open); both find it by app alone, so a tenant
    /// has exactly one, wherever it lives: pass <paramref name="withFlagRow"/> false when the tenant has it already.
    /// </summary>
    /// <param name="closedMailbox">The mailbox callers reach while the office is closed (<c>1001@company-a</c>).</param>
    /// <param name="asterisk">The cluster's oldest Asterisk: it decides between the applications and the functions.</param>
    public static IReadOnlyList<ExtensionRow> AutoAttendant(string context, string tenantKey, string closedMailbox, AsteriskFamily asterisk, bool withFlagRow = true)
    {
        List<ExtensionRow> rows =
        [
            new(context, "s", 1, "Answer", ""),
            // The flag goes into a channel variable (flag_appdata) first, because a multi-argument function inside
            // $[ ] gets one argument under pbx_realtime=1.4 (pipes there are not turned into commas) and the test
            // would silently fail.
            Read(context, "s", 2, asterisk, "extensions", "app", tenantKey, "appdata", "flag_"),
            new(context, "s", 3, "GotoIf", "$[\"${flag_appdata}\" = \"on\"]?closed|1"),
            new(context, "s", 4, "Background", "welcome"),
            new(context, "s", 5, "WaitExten", "10"),
            new(context, "closed", 1, "Playback", "office-closed"),
            new(context, "closed", 2, "VoiceMail", $"{closedMailbox}|u"),
            new(context, "closed", 3, "Hangup", ""),
            Write(context, "*20", 1, asterisk, "extensions", "app", tenantKey, "appdata", "on"),
            new(context, "*20", 2, "Playback", "activated"),
            Write(context, "*21", 1, asterisk, "extensions", "app", tenantKey, "appdata", "off"),
            new(context, "*21", 2, "Playback", "de-activated"),
        ];
        if (withFlagRow)
        {
            rows.Add(new ExtensionRow(context, FlagExten, 1, tenantKey, "off"));
        }

        return rows;
    }

    /// <summary>
    /// The PIN-authenticated long-distance route: the caller types a PIN, which is looked up in <c>pins</c> as
    /// <c>accountcode-digits</c>; an active PIN dials out through the trunk, anything else hears "invalid".
    /// </summary>
    /// <param name="trunk">The channel to dial out on, without the number (<c>SIP/trunk</c>).</param>
    /// <param name="asterisk">The cluster's oldest Asterisk: it decides between the application and the function.</param>
    public static IReadOnlyList<ExtensionRow> LongDistance(string context, string accountcode, string trunk, AsteriskFamily asterisk)
    {
        const string exten = "_1NXXNXXXXXX";
        return
        [
            new(context, exten, 1, "Read", "pin|agent-pass|6"),
            Read(context, exten, 2, asterisk, "pins", "pin", $"{accountcode}-${{pin}}", "active", "pin_"),
            new(context, exten, 3, "GotoIf", "$[\"${pin_active}\" != \"yes\"]?6"),
            new(context, exten, 4, "Dial", $"{trunk}/${{EXTEN}}|60"),
            new(context, exten, 5, "Hangup", ""),
            new(context, exten, 6, "Playback", "invalid"),
            new(context, exten, 7, "Hangup", ""),
        ];
    }

    /// <summary>A number that rings one device for 20 seconds, then goes to its voicemail.</summary>
    /// <param name="device">The channel to ring (<c>SIP/a-1001</c>).</param>
    /// <param name="mailbox">The voicemail box (<c>1001@company-a</c>).</param>
    public static IReadOnlyList<ExtensionRow> DirectDial(string context, string exten, string device, string mailbox) =>
    [
        new(context, exten, 1, "Dial", $"{device}|20|tr"),
        new(context, exten, 2, "VoiceMail", $"{mailbox}|u"),
    ];

    /// <summary>
    /// Reads one column of the realtime row whose <paramref name="match"/> column is <paramref name="value"/> into the
    /// channel variable <c>prefix + column</c>: RealTime() (which copies every column with the prefix) up to 1.4,
    /// REALTIME_FIELD from 1.6 on. Pipes separate the function's arguments too: pbx_realtime turns them into commas.
    /// </summary>
    private static ExtensionRow Read(string context, string exten, int priority, AsteriskFamily asterisk, string family, string match, string value, string column, string prefix) =>
        asterisk.HasRealtimeApplications
            ? new(context, exten, priority, "RealTime", $"{family}|{match}|{value}|{prefix}")
            : new(context, exten, priority, "Set", $"{prefix}{column}=${{REALTIME_FIELD({family}|{match}|{value}|{column})}}");

    /// <summary>Sets one column of the realtime rows whose <paramref name="match"/> column is <paramref name="value"/>.</summary>
    private static ExtensionRow Write(string context, string exten, int priority, AsteriskFamily asterisk, string family, string match, string value, string column, string newValue) =>
        asterisk.HasRealtimeApplications
            ? new(context, exten, priority, "RealTimeUpdate", $"{family}|{match}|{value}|{column}|{newValue}")
            : new(context, exten, priority, "Set", $"REALTIME({family}|{match}|{value}|{column})={newValue}");
}
