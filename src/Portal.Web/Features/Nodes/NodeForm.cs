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
}

/// <summary>The rules the generators hold the node to (<see cref="NodeSpec.Problems"/>), checked before it is saved.</summary>
public sealed class NodeFormValidator : FormValidator<NodeForm>
{
    public NodeFormValidator()
    {
        RuleFor(n => n.Name).Must(NodeSpec.IsNodeName).WithMessage(NodeSpec.NodeNameRule);
        RuleFor(n => n.ReplicaHost).Custom((host, context) =>
        {
            if (NodeSpec.HostProblem("The replica host", host) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
        RuleFor(n => n.ReplicaPort).InclusiveBetween(1, 65535);
        RuleFor(n => n.AsteriskVersion).Must(v => AsteriskFamily.Find(v) is not null)
            .WithMessage($"Asterisk family: one of {string.Join(", ", AsteriskFamily.All.Select(f => f.Label))} (chan_sip, which reads the sip table, was removed in 21).");
        RuleFor(n => n.ReplicaServer).IsInEnum();
    }
}
