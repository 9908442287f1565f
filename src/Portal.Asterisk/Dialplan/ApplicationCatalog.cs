using System.Text.RegularExpressions;
using Portal.Asterisk.Nodes;

namespace Portal.Asterisk.Dialplan;

/// <param name="Synopsis">The call with its arguments separated by pipes, as appdata holds them.</param>
public sealed record Application(string Name, string Description, string Synopsis);

/// <summary>The Asterisk families that have an application or a dialplan function, and what to call where it is gone.</summary>
/// <param name="Since">The first family that has it; null: every family from 1.2.</param>
/// <param name="Until">The last family that has it; null: still there in 11.</param>
/// <param name="Instead">What to write instead, in the pipe form of appdata.</param>
public sealed record Lifetime(string? Since, string? Until, string? Instead)
{
    public bool ExistsIn(AsteriskFamily family) =>
        (Since is null || family.Version >= AsteriskFamily.Find(Since)!.Version) &&
        (Until is null || family.Version <= AsteriskFamily.Find(Until)!.Version);
}

/// <summary>
/// Dialplan applications of Asterisk 1.2 to 11, with the arguments in the pipe form of classic
/// realtime appdata. Some exist only in part of that range (the 1.2 Set* and *Timeout applications
/// gave way to functions; ConfBridge and Originate came later), so a name here is known to Asterisk,
/// not necessarily to every version of it.
/// </summary>
public static class ApplicationCatalog
{
    public static IReadOnlyList<Application> All { get; } =
    [
        new("AbsoluteTimeout", "Set the absolute maximum time of a call (1.2; later TIMEOUT(absolute))", "AbsoluteTimeout(seconds)"),
        new("AddQueueMember", "Add a member to a queue", "AddQueueMember(queuename[|interface[|penalty[|options[|membername]]]])"),
        new("ADSIProg", "Load an ADSI script into a phone", "ADSIProg([script])"),
        new("AgentCallbackLogin", "Log an agent in with a callback extension (removed in 1.6)", "AgentCallbackLogin([AgentNo][|options[|exten]@context])"),
        new("AgentLogin", "Log an agent in and keep the channel as the agent's line", "AgentLogin([AgentNo][|options])"),
        new("AgentMonitorOutgoing", "Record outgoing calls of an agent", "AgentMonitorOutgoing([options])"),
        new("AGI", "Run an AGI script", "AGI(command[|arg1[|arg2...]])"),
        new("AlarmReceiver", "Receive Ademco Contact ID alarm events", "AlarmReceiver()"),
        new("AMD", "Detect whether a person or an answering machine answered", "AMD([initialSilence|greeting|afterGreetingSilence|totalAnalysisTime|minimumWordLength|betweenWordsSilence|maximumNumberOfWords|silenceThreshold|maximumWordLength])"),
        new("Answer", "Answer the channel", "Answer([delay])"),
        new("Authenticate", "Ask for a password and hang up after wrong tries", "Authenticate(password[|options[|maxdigits[|prompt]]])"),
        new("Background", "Play files while waiting for digits", "Background(filename1[&filename2...][|options[|langoverride[|context]]])"),
        new("BackgroundDetect", "Play a file and go to the talk extension when someone speaks", "BackgroundDetect(filename[|sil[|min[|max[|analysistime]]]])"),
        new("Bridge", "Bridge the channel with another existing channel", "Bridge(channel[|options])"),
        new("Busy", "Indicate busy and wait for a hangup", "Busy([timeout])"),
        new("CallCompletionCancel", "Cancel a call completion request (1.8+)", "CallCompletionCancel()"),
        new("CallCompletionRequest", "Request call completion on busy or no answer (1.8+)", "CallCompletionRequest()"),
        new("CELGenUserEvent", "Generate a CEL user event (1.8+)", "CELGenUserEvent(event-name[|extra])"),
        new("ChangeMonitor", "Change the file name of a running Monitor", "ChangeMonitor(filename_base)"),
        new("ChanIsAvail", "Check whether channels are available", "ChanIsAvail(Technology/Resource[&Technology2/Resource2...][|options])"),
        new("ChannelRedirect", "Send another channel to a dialplan location", "ChannelRedirect(channel|[[context|]extension|]priority)"),
        new("ChanSpy", "Listen to other channels", "ChanSpy([chanprefix][|options])"),
        new("CheckGroup", "Check the channel count of a group (1.2; later GROUP_COUNT)", "CheckGroup(max[@category][|options])"),
        new("ClearHash", "Clear the keys of a HASH variable", "ClearHash(hashname)"),
        new("ConfBridge", "Conference bridge (10+ profiles; 1.8 took confno|options)", "ConfBridge(conference[|bridge_profile[|user_profile[|menu]]])"),
        new("Congestion", "Indicate congestion and wait for a hangup", "Congestion([timeout])"),
        new("ContinueWhile", "Jump back to the start of a While loop", "ContinueWhile()"),
        new("ControlPlayback", "Play a file with fast forward, rewind and pause keys", "ControlPlayback(filename[|skipms[|ff[|rew[|stop[|pause[|restart[|options]]]]]]])"),
        new("Curl", "Load a URL into CURL (1.2; later the CURL function)", "Curl(URL[|postdata])"),
        new("Cut", "Cut a variable at a delimiter (1.2; later the CUT function)", "Cut(newvar=varname|delimiter|fieldspec)"),
        new("DAHDIBarge", "Barge in on a DAHDI channel (ZapBarge before 1.6)", "DAHDIBarge([channel])"),
        new("DAHDIRAS", "Run a RAS server on a DAHDI ISDN channel (ZapRAS before 1.6)", "DAHDIRAS(args)"),
        new("DAHDIScan", "Scan DAHDI channels to monitor calls (ZapScan before 1.6)", "DAHDIScan([group])"),
        new("DAHDISendKeypadFacility", "Send digits as a keypad facility on ISDN", "DAHDISendKeypadFacility(digits)"),
        new("DateTime", "Say the date and time", "DateTime([unixtime][|timezone][|format])"),
        new("DBdel", "Delete a key from the Asterisk database (later DB_DELETE)", "DBdel(family/key)"),
        new("DBdeltree", "Delete a family or key tree from the Asterisk database", "DBdeltree(family[/keytree])"),
        new("DBget", "Read a key of the Asterisk database (1.2/1.4; later DB())", "DBget(varname=family/key)"),
        new("DBput", "Write a key of the Asterisk database (1.2/1.4; later DB())", "DBput(family/key=value)"),
        new("DeadAGI", "Run an AGI script on a hung-up channel", "DeadAGI(command[|arg1[|arg2...]])"),
        new("Dial", "Call one or more channels and bridge the first that answers", "Dial(Technology/Resource[&Technology2/Resource2...][|timeout[|options[|URL]]])"),
        new("Dictate", "Record and play back dictation", "Dictate([base_dir[|filename]])"),
        new("DigitTimeout", "Set the maximum time between digits (1.2; later TIMEOUT(digit))", "DigitTimeout(seconds)"),
        new("Directory", "Dial by name from the voicemail directory", "Directory(vm-context[|dial-context[|options]])"),
        new("DISA", "Give outside callers a dial tone (direct inward system access)", "DISA(passcode[|context[|cid[|mailbox[|options]]]])"),
        new("DumpChan", "Show channel information and variables on the console", "DumpChan([min_verbose_level])"),
        new("EAGI", "Run an AGI script with the caller's audio on file descriptor 3", "EAGI(command[|arg1[|arg2...]])"),
        new("Echo", "Echo the caller's audio back", "Echo()"),
        new("EndWhile", "End a While loop", "EndWhile()"),
        new("EnumLookup", "Look a number up in ENUM (1.2; later the ENUMLOOKUP function)", "EnumLookup(exten)"),
        new("Exec", "Run another application by name", "Exec(appname(arguments))"),
        new("ExecIf", "Run an application if a condition is true (1.6+ form; 1.4: ExecIf(expr|app|data))", "ExecIf(expression?appiftrue(args)[:appiffalse(args)])"),
        new("ExecIfTime", "Run an application at matching times", "ExecIfTime(times|weekdays|mdays|months[|timezone]?appname[(appargs)])"),
        new("ExitWhile", "Leave a While loop", "ExitWhile()"),
        new("ExtenSpy", "Listen to channels of an extension", "ExtenSpy(exten[@context][|options])"),
        new("ExternalIVR", "Hand the call to an external IVR program", "ExternalIVR(command[|arg1[|arg2...]][|options])"),
        new("Festival", "Say text with the Festival speech synthesizer", "Festival(text[|intkeys])"),
        new("Flash", "Send a hook flash on a DAHDI trunk", "Flash()"),
        new("FollowMe", "Find a user at several numbers in turn", "FollowMe(followmeid[|options])"),
        new("ForkCDR", "Start a new CDR for the rest of the call", "ForkCDR([options])"),
        new("GetCPEID", "Get the ADSI CPE ID of the phone", "GetCPEID()"),
        new("Gosub", "Jump to a subroutine and come back at Return", "Gosub([[context|]exten|]priority[(arg1[|...][|argN])])"),
        new("GosubIf", "Jump to one of two subroutines by a condition", "GosubIf(condition?labeliftrue[(args)][:labeliffalse[(args)]])"),
        new("Goto", "Jump to a dialplan location", "Goto([[context|]extension|]priority)"),
        new("GotoIf", "Jump to one of two locations by a condition", "GotoIf(condition?[labeliftrue][:labeliffalse])"),
        new("GotoIfTime", "Jump to a location at matching times", "GotoIfTime(times|weekdays|mdays|months[|timezone]?[labeliftrue][:labeliffalse])"),
        new("Hangup", "Hang the channel up", "Hangup([causecode])"),
        new("HasNewVoicemail", "Set a variable to the count of new messages (1.2; later VMCOUNT)", "HasNewVoicemail(vmbox[/folder][@context][|varname[|options]])"),
        new("HasVoicemail", "Set a variable to the count of messages (1.2; later VMCOUNT)", "HasVoicemail(vmbox[/folder][@context][|varname[|options]])"),
        new("IAX2Provision", "Provision a calling IAX device", "IAX2Provision([template])"),
        new("ICES", "Stream the call to an icecast server", "ICES(config.xml)"),
        new("ImportVar", "Copy a variable from another channel", "ImportVar(newvar=channelname|variable)"),
        new("JabberSend", "Send a Jabber (XMPP) message", "JabberSend(account|jid|message)"),
        new("JabberStatus", "Read the Jabber status of a buddy", "JabberStatus(account|jid|variable)"),
        new("Log", "Write a message to the log at a level", "Log(level|message)"),
        new("LookupBlacklist", "Look the caller ID up in the blacklist database (1.2; later BLACKLIST())", "LookupBlacklist([options])"),
        new("LookupCIDName", "Look the caller ID name up in the database (1.2)", "LookupCIDName()"),
        new("Macro", "Run a macro context", "Macro(macroname[|arg1[|arg2...]])"),
        new("MacroExclusive", "Run a macro that only one call may run at a time", "MacroExclusive(macroname[|arg1[|arg2...]])"),
        new("MacroExit", "Leave the running macro", "MacroExit()"),
        new("MacroIf", "Run one of two macros by a condition", "MacroIf(expr?macroiftrue[(args)][:macroiffalse[(args)]])"),
        new("MailboxExists", "Check whether a voicemail box exists", "MailboxExists(mailbox[@context][|options])"),
        new("Math", "Do arithmetic into a variable (1.2; later $[ ])", "Math(returnvar|numberA operator numberB)"),
        new("MeetMe", "Join a MeetMe conference", "MeetMe([confno][|options[|pin]])"),
        new("MeetMeAdmin", "Administer a MeetMe conference", "MeetMeAdmin(confno|command[|user])"),
        new("MeetMeChannelAdmin", "Administer a channel in a MeetMe conference", "MeetMeChannelAdmin(channel|command)"),
        new("MeetMeCount", "Count the users of a MeetMe conference", "MeetMeCount(confno[|var])"),
        new("Milliwatt", "Play a 1004 Hz test tone", "Milliwatt([options])"),
        new("MinivmAccMess", "Record a mini-voicemail account message", "MinivmAccMess(username@domain|options)"),
        new("MinivmDelete", "Delete a mini-voicemail message", "MinivmDelete(filename)"),
        new("MinivmGreet", "Play a mini-voicemail greeting", "MinivmGreet(username@domain[|options])"),
        new("MinivmMWI", "Send a mini-voicemail waiting indication", "MinivmMWI(username@domain|urgent|new|old)"),
        new("MinivmNotify", "Notify a mini-voicemail user", "MinivmNotify(username@domain[|template])"),
        new("MinivmRecord", "Record a mini-voicemail message", "MinivmRecord(username@domain[|options])"),
        new("MixMonitor", "Record the call, both directions mixed into one file", "MixMonitor(filename.extension[|options[|command]])"),
        new("Monitor", "Record the call into separate in and out files", "Monitor([file_format[:urlbase]][|fname_base[|options]])"),
        new("Morsecode", "Play a string as Morse code", "Morsecode(string)"),
        new("MP3Player", "Play an MP3 file or stream", "MP3Player(location)"),
        new("MSet", "Set several variables at once", "MSet(name1=value1[|name2=value2...])"),
        new("MusicOnHold", "Play music on hold", "MusicOnHold([class[|duration]])"),
        new("NBScat", "Play an NBS local stream", "NBScat()"),
        new("NoCDR", "Write no CDR for this call", "NoCDR()"),
        new("NoOp", "Do nothing; shows its argument in the verbose log", "NoOp([text])"),
        new("Originate", "Originate a call from the dialplan (1.8+)", "Originate(tech_data|type|arg1[|arg2[|arg3[|timeout]]])"),
        new("Page", "Page several phones into a conference", "Page(Technology/Resource[&Technology2/Resource2...][|options[|timeout]])"),
        new("Park", "Park the call", "Park([timeout[|return_context[|return_exten[|return_priority[|options]]]]])"),
        new("ParkAndAnnounce", "Park the call and announce the space", "ParkAndAnnounce(announce[:announce2...]|timeout|dial[|return_context])"),
        new("ParkedCall", "Pick up a parked call", "ParkedCall([exten])"),
        new("PauseMonitor", "Pause a Monitor recording", "PauseMonitor()"),
        new("PauseQueueMember", "Pause a queue member", "PauseQueueMember([queuename]|interface[|options[|reason]])"),
        new("Pickup", "Pick up a ringing call of an extension", "Pickup(extension[@context][&extension2@context...])"),
        new("PickupChan", "Pick up a ringing channel", "PickupChan(Technology/Resource[&Technology2/Resource2...][|options])"),
        new("Playback", "Play files without waiting for digits", "Playback(filename[&filename2...][|options])"),
        new("PlayTones", "Play a tone list or an indication", "PlayTones(arg)"),
        new("PrivacyManager", "Ask a caller without caller ID to enter a number", "PrivacyManager([maxretries[|minlength[|options[|context]]]])"),
        new("Proceeding", "Indicate call proceeding", "Proceeding()"),
        new("Progress", "Indicate progress, for early media", "Progress()"),
        new("Queue", "Put the call into a queue", "Queue(queuename[|options[|URL[|announceoverride[|timeout[|AGI[|macro[|gosub[|rule[|position]]]]]]]]])"),
        new("QueueLog", "Write a line to the queue log", "QueueLog(queuename|uniqueid|agent|event[|additionalinfo])"),
        new("RaiseException", "Raise a dialplan exception (goes to the e extension)", "RaiseException(reason)"),
        new("Random", "Jump somewhere by chance (1.2/1.4; later RAND())", "Random([probability]:[[context|]extension|]priority)"),
        new("Read", "Read digits into a variable", "Read(variable[|filename[&filename2...][|maxdigits[|options[|attempts[|timeout]]]]])"),
        new("ReadExten", "Read an extension into a variable", "ReadExten(variable[|filename[|context[|options[|timeout]]]])"),
        new("ReadFile", "Read a file into a variable (deprecated for FILE() but still in 11)", "ReadFile(varname=file|length)"),
        new("RealTime", "Read realtime columns into variables (1.4; later REALTIME())", "RealTime(family|colmatch|value[|prefix])"),
        new("RealTimeUpdate", "Update a realtime column (1.4; later REALTIME() as a writer)", "RealTimeUpdate(family|colmatch|value|newcol|newval)"),
        new("ReceiveFAX", "Receive a fax into a file", "ReceiveFAX(filename[|options])"),
        new("Record", "Record the caller into a file", "Record(filename.format[|silence[|maxduration[|options]]])"),
        new("RemoveQueueMember", "Remove a member from a queue", "RemoveQueueMember(queuename[|interface[|options]])"),
        new("ResetCDR", "Reset the CDR of the call", "ResetCDR([options])"),
        new("ResponseTimeout", "Set the wait for digits after a prompt (1.2; later TIMEOUT(response))", "ResponseTimeout(seconds)"),
        new("RetryDial", "Dial, and retry after an announcement", "RetryDial(announce|sleep|retries|dialargs)"),
        new("Return", "Return from a Gosub", "Return([value])"),
        new("Ringing", "Indicate ringing", "Ringing()"),
        new("SayAlpha", "Say a string letter by letter", "SayAlpha(string)"),
        new("SayDigits", "Say digits one by one", "SayDigits(digits)"),
        new("SayNumber", "Say a number", "SayNumber(digits[|gender])"),
        new("SayPhonetic", "Say a string in the NATO alphabet", "SayPhonetic(string)"),
        new("SayUnixTime", "Say a time given in seconds since the epoch", "SayUnixTime([unixtime[|timezone[|format]]])"),
        new("SendDTMF", "Send DTMF digits on the channel", "SendDTMF(digits[|timeout_ms[|duration_ms]])"),
        new("SendFAX", "Send a fax from a file", "SendFAX(filename[&filename2...][|options])"),
        new("SendImage", "Send an image if the channel supports it", "SendImage(filename)"),
        new("SendText", "Send text if the channel supports it", "SendText(text)"),
        new("SendURL", "Send a URL if the channel supports it", "SendURL(URL[|option])"),
        new("Set", "Set a variable or a function", "Set(name=value)"),
        new("SetAccount", "Set the CDR account code (1.2; later CDR(accountcode))", "SetAccount([account])"),
        new("SetAMAFlags", "Set the CDR AMA flags", "SetAMAFlags([flag])"),
        new("SetCallerID", "Set the caller ID (1.2/1.4; later CALLERID())", "SetCallerID(clid[|a])"),
        new("SetCallerPres", "Set the caller ID presentation", "SetCallerPres(presentation)"),
        new("SetCDRUserField", "Set the CDR user field (1.2/1.4; later CDR(userfield))", "SetCDRUserField(value)"),
        new("SetCIDName", "Set the caller ID name (1.2; later CALLERID(name))", "SetCIDName(cname[|a])"),
        new("SetCIDNum", "Set the caller ID number (1.2; later CALLERID(num))", "SetCIDNum(cnum[|a])"),
        new("SetGlobalVar", "Set a global variable (1.2/1.4; later Set(GLOBAL(var)=value))", "SetGlobalVar(variable=value)"),
        new("SetGroup", "Put the channel into a group (1.2; later GROUP())", "SetGroup(groupname[@category])"),
        new("SetLanguage", "Set the channel language (1.2; later CHANNEL(language))", "SetLanguage(language)"),
        new("SetMusicOnHold", "Set the music on hold class (CHANNEL(musicclass) does the same)", "SetMusicOnHold(class)"),
        new("SetRDNIS", "Set the redirecting number (1.2; later CALLERID(rdnis))", "SetRDNIS(cnum)"),
        new("SetTransferCapability", "Set the ISDN transfer capability (1.2/1.4)", "SetTransferCapability(transfercapability)"),
        new("SetVar", "Set a variable (1.2; later Set)", "SetVar(name=value)"),
        new("SIPAddHeader", "Add a SIP header to the outgoing INVITE", "SIPAddHeader(Header: Content)"),
        new("SIPDtmfMode", "Change the DTMF mode of a SIP call", "SIPDtmfMode(mode)"),
        new("SIPRemoveHeader", "Remove SIP headers added with SIPAddHeader (1.8+)", "SIPRemoveHeader([Header])"),
        new("SLAStation", "Shared line appearance: a station", "SLAStation(station)"),
        new("SLATrunk", "Shared line appearance: a trunk", "SLATrunk(trunk[|options])"),
        new("SMS", "Send or receive SMS over an analog line", "SMS(name[|options[|addr[|body]]])"),
        new("SoftHangup", "Hang up another channel", "SoftHangup(Technology/Resource[|options])"),
        new("SpeechActivateGrammar", "Activate a speech grammar", "SpeechActivateGrammar(grammar_name)"),
        new("SpeechBackground", "Play a file while listening for speech", "SpeechBackground(sound_file[|timeout[|options]])"),
        new("SpeechCreate", "Create a speech recognition object", "SpeechCreate([engine_name])"),
        new("SpeechDeactivateGrammar", "Deactivate a speech grammar", "SpeechDeactivateGrammar(grammar_name)"),
        new("SpeechDestroy", "Destroy the speech recognition object", "SpeechDestroy()"),
        new("SpeechLoadGrammar", "Load a speech grammar", "SpeechLoadGrammar(grammar_name|path)"),
        new("SpeechProcessingSound", "Set the sound played while speech is processed", "SpeechProcessingSound(sound_file)"),
        new("SpeechStart", "Start listening for speech", "SpeechStart()"),
        new("SpeechUnloadGrammar", "Unload a speech grammar", "SpeechUnloadGrammar(grammar_name)"),
        new("StackPop", "Drop the last Gosub return address (1.6+)", "StackPop()"),
        new("StartMusicOnHold", "Start music on hold and go on", "StartMusicOnHold([class])"),
        new("StopMixMonitor", "Stop a MixMonitor recording", "StopMixMonitor()"),
        new("StopMonitor", "Stop a Monitor recording", "StopMonitor()"),
        new("StopMusicOnHold", "Stop music on hold", "StopMusicOnHold()"),
        new("StopPlayTones", "Stop PlayTones", "StopPlayTones()"),
        new("System", "Run a shell command", "System(command)"),
        new("Transfer", "Transfer the caller to another destination", "Transfer([Tech/]destination[|options])"),
        new("TryExec", "Run an application and note whether it worked", "TryExec(appname(arguments))"),
        new("TrySystem", "Run a shell command and note whether it worked", "TrySystem(command)"),
        new("TXTCIDName", "Look the caller name up in ENUM TXT records (1.2; later TXTCIDNAME())", "TXTCIDName(CallerIDNumber[|options])"),
        new("UnpauseMonitor", "Resume a paused Monitor recording", "UnpauseMonitor()"),
        new("UnpauseQueueMember", "Unpause a queue member", "UnpauseQueueMember([queuename]|interface[|options[|reason]])"),
        new("UserEvent", "Send a user event to the manager interface", "UserEvent(eventname[|body])"),
        new("Verbose", "Write a message to the verbose log", "Verbose([level|]message)"),
        new("VMAuthenticate", "Authenticate with a voicemail password", "VMAuthenticate([mailbox][@context][|options])"),
        new("VMSayName", "Say the recorded name of a mailbox (11)", "VMSayName(mailbox[@context])"),
        new("VoiceMail", "Leave a voicemail message", "VoiceMail(mailbox1[@context][&mailbox2[@context]...][|options])"),
        new("VoiceMailMain", "Check voicemail messages", "VoiceMailMain([mailbox][@context][|options])"),
        new("Wait", "Wait a number of seconds", "Wait(seconds)"),
        new("WaitExten", "Wait for the caller to dial an extension", "WaitExten([seconds][|options])"),
        new("WaitForNoise", "Wait until there is noise", "WaitForNoise(noiserequired[|iterations[|timeout]])"),
        new("WaitForRing", "Wait for a ring after a number of seconds", "WaitForRing(timeout)"),
        new("WaitForSilence", "Wait until there is silence", "WaitForSilence(silencerequired[|iterations[|timeout]])"),
        new("WaitMusicOnHold", "Wait while playing music on hold", "WaitMusicOnHold(delay)"),
        new("WaitUntil", "Wait until a time in seconds since the epoch", "WaitUntil(epoch)"),
        new("While", "Start a While loop", "While(expr)"),
        new("Zapateller", "Play the special information tone to scare off telemarketers", "Zapateller([options])"),
    ];

    /// <summary>
    /// Where each application exists, for those not in every family. Absent from 11: checked against
    /// <c>core show applications</c> of a real 11.25.3 (none of these is registered there). The earlier
    /// boundaries follow the UPGRADE notes: the 1.2 forms deprecated for functions were removed in 1.4, and
    /// RealTime, RealTimeUpdate, DBget, DBput, SetCallerID and the other 1.4 stragglers in 1.6.
    /// </summary>
    private static readonly Dictionary<string, Lifetime> Lifetimes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AbsoluteTimeout"] = new(null, "1.2", "Set(TIMEOUT(absolute)=seconds)"),
        ["AgentCallbackLogin"] = new(null, "1.4", "AgentLogin, with the callback done by the dialplan"),
        ["CheckGroup"] = new(null, "1.2", "${GROUP_COUNT(group@category)} in a GotoIf"),
        ["Curl"] = new(null, "1.2", "Set(var=${CURL(url|postdata)})"),
        ["Cut"] = new(null, "1.2", "Set(var=${CUT(varname|delimiter|fieldspec)})"),
        ["DBget"] = new(null, "1.4", "Set(var=${DB(family/key)})"),
        ["DBput"] = new(null, "1.4", "Set(DB(family/key)=value)"),
        ["DigitTimeout"] = new(null, "1.2", "Set(TIMEOUT(digit)=seconds)"),
        ["EnumLookup"] = new(null, "1.2", "Set(var=${ENUMLOOKUP(number)})"),
        ["HasNewVoicemail"] = new(null, "1.2", "Set(var=${VMCOUNT(mailbox@context)})"),
        ["HasVoicemail"] = new(null, "1.2", "Set(var=${VMCOUNT(mailbox@context)})"),
        ["LookupBlacklist"] = new(null, "1.2", "GotoIf($[${BLACKLIST()}]?blocked)"),
        ["LookupCIDName"] = new(null, "1.2", "Set(CALLERID(name)=${DB(cidname/${CALLERID(num)})})"),
        ["Math"] = new(null, "1.2", "Set(var=$[a + b])"),
        ["Random"] = new(null, "1.4", "GotoIf($[${RAND(1|100)} <= probability]?label)"),
        ["RealTime"] = new(null, "1.4", "Set(var=${REALTIME_FIELD(family|matchcolumn|value|column)}) (1.8 and later), or ${REALTIME(family|matchcolumn|value)}"),
        ["RealTimeUpdate"] = new(null, "1.4", "Set(REALTIME(family|matchcolumn|value|column)=newvalue)"),
        ["ResponseTimeout"] = new(null, "1.2", "Set(TIMEOUT(response)=seconds)"),
        ["SetAccount"] = new(null, "1.2", "Set(CDR(accountcode)=account)"),
        ["SetCallerID"] = new(null, "1.4", "Set(CALLERID(all)=\"name\" <number>)"),
        ["SetCDRUserField"] = new(null, "1.4", "Set(CDR(userfield)=value)"),
        ["SetCIDName"] = new(null, "1.2", "Set(CALLERID(name)=name)"),
        ["SetCIDNum"] = new(null, "1.2", "Set(CALLERID(num)=number)"),
        ["SetGlobalVar"] = new(null, "1.4", "Set(GLOBAL(variable)=value)"),
        ["SetGroup"] = new(null, "1.2", "Set(GROUP(category)=group)"),
        ["SetLanguage"] = new(null, "1.2", "Set(CHANNEL(language)=language)"),
        ["SetRDNIS"] = new(null, "1.2", "Set(CALLERID(rdnis)=number)"),
        ["SetTransferCapability"] = new(null, "1.4", "Set(CHANNEL(transfercapability)=capability)"),
        ["SetVar"] = new(null, "1.2", "Set(name=value)"),
        ["TXTCIDName"] = new(null, "1.2", "Set(var=${TXTCIDNAME(number)})"),
        ["CallCompletionCancel"] = new("1.8", null, null),
        ["CallCompletionRequest"] = new("1.8", null, null),
        ["CELGenUserEvent"] = new("1.8", null, null),
        ["ConfBridge"] = new("1.8", null, "MeetMe"),
        ["Originate"] = new("1.8", null, null),
        ["SIPRemoveHeader"] = new("1.8", null, null),
        ["StackPop"] = new("1.6", null, null),
    };

    /// <summary>
    /// Dialplan functions that not every family has. The realtime ones matter most: they replace RealTime and
    /// RealTimeUpdate from 1.6 on (func_realtime.c; REALTIME_FIELD and REALTIME_HASH came with 1.8, and all five
    /// are in <c>core show functions</c> of 11.25.3).
    /// </summary>
    private static readonly Dictionary<string, Lifetime> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["REALTIME"] = new("1.4", null, "RealTime(family|matchcolumn|value|prefix) and RealTimeUpdate(family|matchcolumn|value|column|newvalue)"),
        ["REALTIME_STORE"] = new("1.6", null, null),
        ["REALTIME_DESTROY"] = new("1.6", null, null),
        ["REALTIME_FIELD"] = new("1.8", null, "${REALTIME(family|matchcolumn|value)} and CUT, or RealTime() on 1.4"),
        ["REALTIME_HASH"] = new("1.8", null, "${REALTIME(family|matchcolumn|value)} and CUT, or RealTime() on 1.4"),
    };

    /// <summary>A function call in appdata: <c>NAME(</c> after <c>${</c>, or as the left side of Set.</summary>
    private static readonly Regex FunctionCall = new(@"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]*)\(", RegexOptions.Compiled);

    /// <summary>Where the application exists; every family for one the catalog does not limit.</summary>
    public static Lifetime LifetimeOf(string app) => Lifetimes.GetValueOrDefault(app.Trim()) ?? new Lifetime(null, null, null);

    /// <summary>
    /// What to say when a step calls an application, or its appdata a function, that the family lacks: at call time
    /// Asterisk only logs "No such application" (or "Function ... not registered") and the call goes on or ends.
    /// </summary>
    public static IReadOnlyList<string> MissingIn(AsteriskFamily family, string app, string appdata)
    {
        var missing = new List<string>();
        if (Find(app) is { } application && LifetimeOf(application.Name) is var life && !life.ExistsIn(family))
        {
            missing.Add(Missing(family, application.Name, "application", life));
        }

        foreach (var name in FunctionCall.Matches(appdata).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Functions.TryGetValue(name, out var function) && !function.ExistsIn(family))
            {
                missing.Add(Missing(family, name.ToUpperInvariant(), "function", function));
            }
        }

        return missing;
    }

    /// <summary>The applications this family lacks: what the schema check looks for in stored rows.</summary>
    public static IReadOnlyList<string> ApplicationsMissingIn(AsteriskFamily family) =>
        Lifetimes.Where(l => !l.Value.ExistsIn(family)).Select(l => l.Key).ToList();

    /// <summary>The functions this family lacks.</summary>
    public static IReadOnlyList<string> FunctionsMissingIn(AsteriskFamily family) =>
        Functions.Where(l => !l.Value.ExistsIn(family)).Select(l => l.Key).ToList();

    private static string Missing(AsteriskFamily family, string name, string kind, Lifetime life)
    {
        var range = (life.Since, life.Until) switch
        {
            (null, { } until) => $"it exists only up to {until}",
            ({ } since, null) => $"it exists from {since} on",
            _ => $"it exists in {life.Since} to {life.Until}",
        };
        var instead = life.Instead is null ? "" : $"; use {life.Instead} instead";
        return $"{family} (the oldest node of the cluster) has no {kind} {name}: {range}, and a call reaching it fails " +
            $"silently (\"No such {kind}\" in the node's log){instead}";
    }

    private static readonly Dictionary<string, Application> ByName =
        All.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The application of this name; Asterisk looks application names up case-insensitively.</summary>
    public static Application? Find(string name) => ByName.GetValueOrDefault(name.Trim());

    /// <summary>What to say about an application name the catalog does not know, with the closest names as
    /// suggestions; null when it knows the name.</summary>
    public static string? Unknown(string name)
    {
        if (Find(name) is not null)
        {
            return null;
        }

        var suggestions = Suggest(name).Select(a => a.Name).ToList();
        return suggestions.Count == 0
            ? $"{name} is not an application of Asterisk 1.2-11"
            : $"{name} is not an application of Asterisk 1.2-11; did you mean {string.Join(" or ", suggestions)}?";
    }

    /// <summary>
    /// The applications whose names are closest to a mistyped one: fewest edits (insert, delete, replace,
    /// swap two neighbours), then most of the typed letters kept in order, so that "Gotof" offers GotoIf
    /// before Goto. Only names within about a third of the typed length in edits are offered.
    /// </summary>
    public static IReadOnlyList<Application> Suggest(string name, int count = 3)
    {
        var typed = name.Trim().ToLowerInvariant();
        if (typed.Length == 0)
        {
            return [];
        }

        var reach = Math.Max(2, typed.Length / 3);
        return All
            .Select(a => (Application: a, Lower: a.Name.ToLowerInvariant()))
            .Select(a => (a.Application, Distance: EditDistance(typed, a.Lower), Kept: CommonSubsequence(typed, a.Lower)))
            .Where(a => a.Distance <= reach)
            .OrderBy(a => a.Distance)
            .ThenByDescending(a => a.Kept)
            .ThenBy(a => a.Application.Name, StringComparer.OrdinalIgnoreCase)
            .Take(count)
            .Select(a => a.Application)
            .ToList();
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus a swap of two neighbours as one edit.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static int CommonSubsequence(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = a[i - 1] == b[j - 1] ? d[i - 1, j - 1] + 1 : Math.Max(d[i - 1, j], d[i, j - 1]);
            }
        }

        return d[a.Length, b.Length];
    }
}
