namespace Portal.Web.Features.Replication;

/// <summary>The replication feature's services and endpoints, so Program.cs names the feature once.</summary>
public static class ReplicationSetup
{
    public static IServiceCollection AddReplication(this IServiceCollection services)
    {
        services.AddSingleton<ReplicaRegistry>();
        services.AddSingleton<HeartbeatWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatWriter>());
        services.AddSingleton<ReplicaMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaMonitor>());
        services.AddSingleton<GtidConfirmations>();
        services.AddSingleton<ReadSource>();
        services.AddSingleton<ReplicaCommands>();
        services.AddSingleton<ReplicationMetrics>();
        services.AddHealthChecks().AddCheck<ReplicationHealthCheck>("replication", tags: [ReplicationHealthCheck.ReadyTag]);
        return services;
    }

    /// <summary>For the monitoring systems operators already run; anonymous, like any scrape or probe target.</summary>
    public static void MapReplication(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", ReplicationHealthCheck.Live);
        app.MapHealthChecks("/health/ready", ReplicationHealthCheck.Ready);
        app.MapGet("/metrics", (ReplicationMetrics metrics, Components.CircuitCounter circuits, OfficeToggles.FlipFanOut fanOut, OfficeToggles.OfficeToggleWatch watch) =>
        {
            var text = new System.Text.StringBuilder(metrics.Render());
            circuits.Render(text);
            fanOut.Render(text);
            watch.Render(text);
            return Results.Text(text.ToString(), ReplicationMetrics.ContentType);
        });
    }
}
