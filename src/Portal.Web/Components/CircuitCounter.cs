using System.Text;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Portal.Web.Features.Replication;

namespace Portal.Web.Components;

/// <summary>
/// The open circuits (one per interactive browser tab) and what the process holds for them, for /metrics: the
/// server's memory grows with the circuits, so an operator sizing a portal instance wants both side by side.
/// </summary>
public sealed class CircuitCounter(IConfiguration configuration) : CircuitHandler
{
    /// <summary>
    /// The open-circuit count tells anyone who can reach the anonymous /metrics how many people use the portal right
    /// now; it is shown only where <c>Metrics:SessionCounts</c> is true (the sessions benchmark turns it on).
    /// </summary>
    private readonly bool showOpen = configuration.GetValue<bool>("Metrics:SessionCounts");

    private int open;

    public int Open => Volatile.Read(ref open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref open);
        return Task.CompletedTask;
    }

    public void Render(StringBuilder text)
    {
        if (showOpen)
        {
            ReplicationMetrics.Family(text, "portal_circuits_open", "gauge", "Interactive circuits (browser tabs) open on this instance.");
            ReplicationMetrics.Sample(text, "portal_circuits_open", [], Open);
        }
        // The heap as the last collection left it: no collection is forced by a scrape.
        ReplicationMetrics.Family(text, "dotnet_gc_heap_bytes", "gauge", "Managed heap size after the last garbage collection.");
        ReplicationMetrics.Sample(text, "dotnet_gc_heap_bytes", [], GC.GetGCMemoryInfo().HeapSizeBytes);
        ReplicationMetrics.Family(text, "dotnet_gc_pause_seconds_total", "counter", "Time the runtime was paused for garbage collections since start-up.");
        ReplicationMetrics.Sample(text, "dotnet_gc_pause_seconds_total", [], GC.GetTotalPauseDuration().TotalSeconds);
        ReplicationMetrics.Family(text, "process_resident_memory_bytes", "gauge", "Resident memory of the portal's process.");
        ReplicationMetrics.Sample(text, "process_resident_memory_bytes", [], Environment.WorkingSet);
    }
}
