namespace Portal.Benchmarks;

/// <summary>Prints each measurement as a Markdown table row, beside its baseline and target.</summary>
public sealed class Report(TextWriter output)
{
    private string? table;

    /// <summary>Targets a figure missed; the full run exits non-zero when any is.</summary>
    public int Missed { get; private set; }

    public void Heading(string text) => output.WriteLine($"\n## {text}\n");

    public void Table(string title, params string[] columns)
    {
        table = title;
        output.WriteLine($"\n### {title}\n");
        output.WriteLine("| " + string.Join(" | ", columns) + " |");
        output.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
    }

    public void Row(params string[] cells)
    {
        output.WriteLine("| " + string.Join(" | ", cells) + " |");
        output.Flush();
    }

    public string Check(bool met, string target)
    {
        if (!met)
        {
            Missed++;
        }
        return (met ? "met: " : "MISSED: ") + target;
    }

    public void Note(string text) => output.WriteLine($"\n{text}");

    public void Finish() => output.WriteLine(Missed == 0 ? $"\nAll targets met." : $"\n{Missed} target(s) missed.");

    public static string Ms(Figures f) => $"{f.Min:0.00} / {f.Median:0.00} / {f.P95:0.00}";
}
