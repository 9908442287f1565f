using FluentValidation;
using Portal.Asterisk.Nodes;
using Portal.Web.Components.Shared;

namespace Portal.Web.Features.Nodes;

public sealed class NodeForm
{
    public string Name { get; set; } = "";
    public string ReplicaHost { get; set; } = "";
    public int ReplicaPort { get; set; } = 3306;
    public string AsteriskVersion { get; set; } = AsteriskFamily.Default.Label;
    public ReplicaServer ReplicaServer { get; set; } = ReplicaServer.MariaDb;

    /// <summary>Empty: the node has no manager link. The other manager fields are then ignored.</summary>
    public string ManagerHost { get; set; } = "";
    public int ManagerPort { get; set; } = NodeManager.DefaultPort;
    public string ManagerUser { get; set; } = "portal";

    /// <summary>Write-only: empty keeps the secret saved before (the page never shows it).</summary>
    public string ManagerSecret { get; set; } = "";
}

/// <summary>The rules the generators hold the node to (<see cref="NodeSpec.Problems"/>), checked before it is saved.</summary>
public sealed class NodeFormValidator : FormValidator<NodeForm>
{
    public NodeFormValidator()
    {
        RuleFor(n => n.Name).Must(NodeSpec.IsNodeName).WithMessage(NodeSpec.NodeNameRule);
        RuleFor(n => n.ReplicaHost).Custom((host, context) => Host("The replica host", host, context));
        RuleFor(n => n.ReplicaPort).InclusiveBetween(1, 65535);
        RuleFor(n => n.AsteriskVersion).Must(v => AsteriskFamily.Find(v) is not null)
            .WithMessage($"Asterisk family: one of {string.Join(", ", AsteriskFamily.All.Select(f => f.Label))} (chan_sip, which reads the sip table, was removed in 21).");
        RuleFor(n => n.ReplicaServer).IsInEnum();
        When(n => n.ManagerHost.Length > 0, () =>
        {
            RuleFor(n => n.ManagerHost).Custom((host, context) => Host("The manager host", host, context));
            RuleFor(n => n.ManagerPort).InclusiveBetween(1, 65535);
            RuleFor(n => n.ManagerUser).Matches("^[A-Za-z0-9_-]{1,32}$").WithMessage("The manager user must be 1 to 32 letters, digits, '-' or '_' (it becomes a manager.conf section).");
            // Asterisk's config parser trims values and ends them at ';'; a line break would end the Login action.
            RuleFor(n => n.ManagerSecret).Must(s => s.Length <= 80 && s.Trim() == s && !s.Contains(';') && !s.Any(char.IsControl))
                .WithMessage("The manager secret must be at most 80 characters, with no ';', control characters or spaces at either end (manager.conf would cut it).");
        });
    }

    private static void Host(string what, string host, ValidationContext<NodeForm> context)
    {
        if (NodeSpec.HostProblem(what, host) is { } problem)
        {
            context.AddFailure(problem);
        }
    }
}
