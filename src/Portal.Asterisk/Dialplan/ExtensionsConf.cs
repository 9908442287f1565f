using System.Text;

namespace Portal.Asterisk.Dialplan;

public sealed record ImportNote(int Line, Severity Severity, string Message);

/// <param name="Rows">The rows of every line without an error, in file order.</param>
/// <param name="Notes">Per line: what was wrong, and what was left out on purpose.</param>
public sealed record ExtensionsConfImport(IReadOnlyList<ExtensionRow> Rows, IReadOnlyList<ImportNote> Notes);

/// <summary>
/// extensions.conf to rows of the classic realtime <c>extensions</c> table and back. The file separates
/// application arguments with commas (Asterisk 1.6+), the table with pipes; both directions leave
/// quoted text and <c>$[ ]</c> alone, so a file written by Export imports back to the same rows.
/// </summary>
public static class ExtensionsConf
{
    public static ExtensionsConfImport Import(string text)
    {
        var reader = new Reader();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Contains('\t'))
            {
                // Asterisk's parser reads a TAB as a space; the table would keep it inside a value.
                line = line.Replace('\t', ' ');
                reader.Note(i + 1, Severity.Warning, "a TAB is imported as a space: stored values hold no control characters");
            }
            if (ControlCharacters.Problem(line) is { } problem)
            {
                reader.Note(i + 1, Severity.Error, "the line " + problem);
                continue;
            }
            reader.Read(i + 1, line);
        }

        return new ExtensionsConfImport(reader.Rows, reader.Notes);
    }

    /// <summary>
    /// What a node's extensions.conf needs before Asterisk finds a context that lives only in the database: without
    /// it the context is "not found" on that node, and only a <c>dialplan reload</c> makes the node read it.
    /// </summary>
    public static string RealtimeStanza(string context) => $"[{context}]\nswitch => Realtime/@\n";

    /// <summary>
    /// The context as extensions.conf text, with the rows in the order given and their numeric
    /// priorities. Each appdata is written as a 1.6-11 node runs it (<see cref="AppdataArguments.AsRun"/>: pipes
    /// outside <c>$[ ]</c> become commas, quoted ones too), and <c>;</c>, which would start a comment, is written
    /// <c>\;</c>.
    /// </summary>
    /// <param name="rows">In the SQL order of exten: where a static file would choose another row than the realtime
    /// switch (<see cref="PatternOrder"/>), a comment before the context says so.</param>
    public static string Export(string context, IEnumerable<ExtensionRow> rows)
    {
        var list = rows.ToList();
        var text = new StringBuilder();
        foreach (var difference in PatternOrder.Differences(list))
        {
            text.Append("; Warning: ").Append(difference).Append('\n');
        }

        text.Append('[').Append(context).Append("]\n");
        foreach (var row in list)
        {
            if (row.Context != context)
            {
                throw new ArgumentException($"row {row.Exten},{row.Priority} belongs to context {row.Context}, not {context}", nameof(rows));
            }

            // A value written around the portal (by SQL) may hold a line break: written out, its rest would be a line
            // of its own, such as a [context] or an include. The row is named, not written.
            if (Unwritable(row) is { } why)
            {
                text.Append($"; Not written: a row of priority {row.Priority}, because its {why}.\n");
                continue;
            }

            text.Append("exten => ").Append(row.Exten).Append(',').Append(row.Priority).Append(',')
                .Append(row.App).Append('(').Append(ToCommas(row.Appdata)).Append(")\n");
        }

        return text.ToString();
    }

    private static string? Unwritable(ExtensionRow row) =>
        ControlCharacters.Problem(row.Exten) is { } exten ? "exten " + exten
        : ControlCharacters.Problem(row.App) is { } app ? "app " + app
        : ControlCharacters.Problem(row.Appdata) is { } appdata ? "appdata " + appdata
        : null;

    private static string ToCommas(string appdata) => AppdataArguments.AsRun(appdata).Replace(";", @"\;");

    /// <summary>Drops a ';' comment; a '\;' is an escaped semicolon, kept as ';'.</summary>
    private static string StripComment(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == ';')
            {
                text.Append(';');
                i++;
            }
            else if (line[i] == ';')
            {
                break;
            }
            else
            {
                text.Append(line[i]);
            }
        }

        return text.ToString();
    }

    private sealed class Reader
    {
        private string? context;
        private bool inSettings;
        private string? lastExten;
        private int lastPriority;

        // Line of each context, exten and priority read so far. Without case, as the database compares
        // them: the realtime switch cannot tell t from T.
        private readonly Dictionary<string, int> linesOfRows = new(StringComparer.OrdinalIgnoreCase);

        public List<ExtensionRow> Rows { get; } = [];

        public List<ImportNote> Notes { get; } = [];

        public void Read(int line, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (text.StartsWith('['))
            {
                ReadSection(line, text);
                return;
            }

            if (text.StartsWith('#'))
            {
                Note(line, Severity.Warning, $"{text.Split(' ')[0]} is not followed: import the other file on its own");
                return;
            }

            if (inSettings)
            {
                return;
            }

            var equals = text.IndexOf('=');
            if (equals < 0)
            {
                Note(line, Severity.Error, "expected a [context] or a 'name => value' line");
                return;
            }

            var name = text[..equals].Trim().ToLowerInvariant();
            var value = text[(equals + 1)..].TrimStart('>').Trim();
            if (context is null)
            {
                Note(line, Severity.Error, $"'{name}' comes before any [context]");
                return;
            }

            switch (name)
            {
                case "exten":
                    ReadExten(line, value);
                    break;
                case "same":
                    if (lastExten is null)
                    {
                        Note(line, Severity.Error, "same => needs an exten => line before it in this context");
                    }
                    else
                    {
                        ReadPriority(line, lastExten, value);
                    }

                    break;
                case "include":
                    Note(line, Severity.Warning,
                        $"include => {value} is not imported: the extensions table has no includes; keep it in " +
                        "extensions.conf, in the context that switches to realtime");
                    break;
                case "switch" or "lswitch" or "eswitch":
                    Note(line, Severity.Warning,
                        $"{name} => {value} is not imported: switches belong in extensions.conf");
                    break;
                case "ignorepat":
                    Note(line, Severity.Warning, $"ignorepat => {value} is not imported: the extensions table has no ignore patterns");
                    break;
                default:
                    Note(line, Severity.Error, $"'{name}' is not a dialplan line (exten, same, include, switch)");
                    break;
            }
        }

        private void ReadSection(int line, string text)
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                Note(line, Severity.Error, "a [context] line needs its closing ]");
                return;
            }

            var name = text[1..close].Trim();
            inSettings = ContextName.IsSettingsSection(name);
            context = inSettings ? null : name;
            lastExten = null;
            lastPriority = 0;
            if (inSettings)
            {
                Note(line, Severity.Info, $"[{name}] holds settings, not extensions, and is not imported");
            }
            else if (ContextName.Validate(name) is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    Note(line, Severity.Error, $"context [{name}]: {problem}");
                }

                context = null;
            }
            else if (text[(close + 1)..].Trim().Length > 0)
            {
                Note(line, Severity.Warning, $"templates and options after [{name}] are not imported");
            }
        }

        private void ReadExten(int line, string value)
        {
            var comma = value.IndexOf(',');
            if (comma < 0)
            {
                Note(line, Severity.Error, "exten => needs extension,priority,Application(arguments)");
                return;
            }

            var exten = value[..comma].Trim();
            var problems = Exten.Validate(exten);
            foreach (var problem in problems)
            {
                Note(line, problem.Severity, $"extension {exten}: {problem.Message}");
            }

            if (problems.Any(p => p.Severity == Severity.Error))
            {
                return;
            }

            lastExten = exten;
            ReadPriority(line, exten, value[(comma + 1)..]);
        }

        /// <summary>Reads "priority[(label)],Application(arguments)" of an exten or same line.</summary>
        private void ReadPriority(int line, string exten, string value)
        {
            var comma = value.IndexOf(',');
            var priorityText = (comma < 0 ? value : value[..comma]).Trim();
            var application = comma < 0 ? "" : value[(comma + 1)..].Trim();

            var label = priorityText.IndexOf('(');
            if (label >= 0)
            {
                Note(line, Severity.Warning,
                    $"the label {priorityText[label..]} is dropped: the extensions table has no label column, " +
                    "so a Goto to it will not find it");
                priorityText = priorityText[..label].Trim();
            }

            if (priorityText.Equals("hint", StringComparison.OrdinalIgnoreCase))
            {
                Note(line, Severity.Info, $"the hint of {exten} is skipped: the realtime switch does not serve hints");
                return;
            }

            int priority;
            if (priorityText.Equals("n", StringComparison.OrdinalIgnoreCase))
            {
                if (lastPriority == 0)
                {
                    Note(line, Severity.Error, "priority n needs a numbered priority before it");
                    return;
                }

                priority = lastPriority + 1;
            }
            else if (!int.TryParse(priorityText, out priority) || priority < 1)
            {
                Note(line, Severity.Error, $"'{priorityText}' is not a priority: use a number from 1, n or hint");
                return;
            }

            lastPriority = priority;
            if (priority > ExtensionRow.MaxPriority)
            {
                Note(line, Severity.Error, $"priority {priority} does not fit: priority is a tinyint (up to {ExtensionRow.MaxPriority})");
                return;
            }

            if (application.Length == 0)
            {
                Note(line, Severity.Error, "the line names no application");
                return;
            }

            ReadApplication(line, exten, priority, application);
        }

        private void ReadApplication(int line, string exten, int priority, string application)
        {
            var open = application.IndexOf('(');
            var app = (open < 0 ? application : application[..open]).Trim();
            var arguments = "";
            if (open >= 0)
            {
                // As pbx_config: the arguments run from the first '(' to the last ')'.
                var close = application.LastIndexOf(')');
                if (close < open)
                {
                    Note(line, Severity.Warning, $"{app}( is not closed; the rest of the line is taken as its arguments");
                    close = application.Length;
                }

                arguments = application[(open + 1)..close];
            }

            var errors = false;
            // '-' for an office-closed flag row, whose app is a tenant key (company-a): Export writes it as company-a(off).
            if (app.Length == 0 || !app.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                Note(line, Severity.Error, $"'{app}' is not an application name");
                return;
            }

            if (app.Length > ExtensionRow.MaxAppLength)
            {
                Note(line, Severity.Error, $"app is varchar({ExtensionRow.MaxAppLength}) in the classic schema; '{app}' is longer");
                errors = true;
            }

            if (ApplicationCatalog.Unknown(app) is { } unknown)
            {
                Note(line, Severity.Warning, unknown);
            }

            var fix = PipeRule.FixCommas(arguments);
            // A quoted or escaped comma of the file is stored as a pipe: a 1.6-11 node turns every pipe outside $[ ]
            // into a comma, quotes or not, so the row runs the very text of the file (Export writes it back so).
            var literal = fix.Unfixed.Where(p => p.Kind == AppdataProblemKind.LiteralComma).ToList();
            if (literal.Count > 0)
            {
                var text = new StringBuilder(fix.Appdata);
                literal.ForEach(p => text[p.Position] = AppdataArguments.Separator);
                fix = new CommaFix(text.ToString(), fix.Unfixed.Except(literal).ToList());
            }

            foreach (var problem in PipeRule.Check(fix.Appdata).Where(p => p.Kind != AppdataProblemKind.Comma))
            {
                Note(line, problem.Severity, $"{app} arguments, at {problem.Position + 1}: {problem.Message}");
                errors |= problem.Severity == Severity.Error;
            }

            if (errors)
            {
                return;
            }

            var key = $"{context}\n{exten}\n{priority}";
            if (linesOfRows.TryGetValue(key, out var earlier))
            {
                Note(line, Severity.Error, $"priority {priority} of {exten} is already on line {earlier}");
                return;
            }

            linesOfRows.Add(key, line);
            Rows.Add(new ExtensionRow(context!, exten, priority, app, fix.Appdata));
        }

        public void Note(int line, Severity severity, string message) => Notes.Add(new ImportNote(line, severity, message));
    }
}
