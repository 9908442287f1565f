using Portal.Web.Features.Nodes;

namespace Portal.Web;

public static class NodeLinkServices
{
    /// <summary>The manager link to every node, its secrets and the operator's actions through it.</summary>
    public static IServiceCollection AddNodeLinks(this IServiceCollection services)
    {
        services.AddSingleton<NodeSecrets>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<NodeLinks>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<NodeLinks>());
        services.AddSingleton<NodeOperatorActions>();
        return services;
    }
}
