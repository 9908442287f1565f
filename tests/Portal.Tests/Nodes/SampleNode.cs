using Portal.Asterisk.Nodes;

namespace Portal.Tests.Nodes;

/// <summary>The node the file tests generate for: four contexts in the database, one of them unwritable.</summary>
public static class SampleNode
{
    public static NodeSpec Spec(string asterisk = "11", ReplicaServer server = ReplicaServer.MariaDb) =>
        new("pbx1", 101, "10.0.0.5", 3306, "10.0.0.1", 3306, "asteriskdb", AsteriskFamily.Find(asterisk)!, server,
            ["company-b", "company-a", "company-a-ld", "general"], NodeCredentials.WithPlaceholders("repl", "asterisk", "monitor"));

    public static string Generated(NodeSpec spec, string file) => NodeFiles.All(spec).Single(f => f.Name == file).Text;

    /// <summary>A raw literal ends without the line break every generated file ends with.</summary>
    public static string Lines(string text) => text + "\n";
}
