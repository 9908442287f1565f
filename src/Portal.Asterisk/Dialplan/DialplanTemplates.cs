namespace Portal.Asterisk.Dialplan;

/// <summary>
/// The classic realtime dialplans as rows, for a new context in the editor and for the demo alike: the tenant's
/// auto-attendant with its office-closed check, *20/*21 feature codes and flag row; the PIN-authenticated
/// long-distance route; a direct-dial extension.
/// </summary>
public static class DialplanTemplates
{
    /// <summary>The exten of the flag row: a name no keypad can dial, so the row is never run as a step.</summary>
    public const string FlagExten = "office-closed";

    /// <summary>
    /// The auto-attendant of the classic examples. The flag row (<c>app</c> = the tenant key, <c>appdata</c> on or
    /// off) is read by RealTime() and written by RealTimeUpdate() from *20 (closed) and *21 (open); both find it by
    /// app alone, so a tenant has exactly one, wherever it lives: pass <paramref name="withFlagRow"/> false when the
    /// tenant has it already.
    /// </summary>
    /// <param name="closedMailbox">The mailbox callers reach while the office is closed (<c>1001@company-a</c>).</param>
    public static IReadOnlyList<ExtensionRow> AutoAttendant(string context, string tenantKey, string closedMailbox, bool withFlagRow = true)
    {
        List<ExtensionRow> rows =
        [
            new(context, "s", 1, "Answer", ""),
            // RealTime() copies the flag row's columns into channel variables (flag_appdata) first, because a
            // multi-argument function inside $[ ] gets one argument under pbx_realtime=1.4 and the test would
            // silently fail.
            new(context, "s", 2, "RealTime", $"extensions|app|{tenantKey}|flag_"),
            new(context, "s", 3, "GotoIf", "$[\"${flag_appdata}\" = \"on\"]?closed|1"),
            new(context, "s", 4, "Background", "welcome"),
            new(context, "s", 5, "WaitExten", "10"),
            new(context, "closed", 1, "Playback", "office-closed"),
            new(context, "closed", 2, "VoiceMail", $"{closedMailbox}|u"),
            new(context, "closed", 3, "Hangup", ""),
            new(context, "*20", 1, "RealTimeUpdate", $"extensions|app|{tenantKey}|appdata|on"),
            new(context, "*20", 2, "Playback", "activated"),
            new(context, "*21", 1, "RealTimeUpdate", $"extensions|app|{tenantKey}|appdata|off"),
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
    public static IReadOnlyList<ExtensionRow> LongDistance(string context, string accountcode, string trunk)
    {
        const string exten = "_1NXXNXXXXXX";
        return
        [
            new(context, exten, 1, "Read", "pin|agent-pass|6"),
            new(context, exten, 2, "RealTime", $"pins|pin|{accountcode}-${{pin}}|pin_"),
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
}
