using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>
/// /health/ready: the master answers, and every replica answers with a heartbeat lag under
/// <see cref="ReplicationOptions.ReadyMaxLag"/>. /health/live runs no check: the process serves requests.
/// </summary>
public sealed class ReplicationHealthCheck(MasterState master, ReplicaMonitor monitor, IOptions<ReplicationOptions> options) : IHealthCheck
{
    public const string ReadyTag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = Problems().ToList();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"master reachable; {monitor.Replicas.Count} replica(s) within {ReplicaHealth.Format(options.Value.ReadyMaxLag)}")
            : HealthCheckResult.Unhealthy(string.Join("\n", problems)));
    }

    private IEnumerable<string> Problems()
    {
        if (master.IsDown)
        {
            yield return $"master unreachable since {master.DownSince:u}: {master.DownReason}";
        }
        var maxLag = options.Value.ReadyMaxLag;
        foreach (var replica in monitor.Replicas)
        {
            if (replica.Lag is not { } lag)
            {
                yield return $"{replica.Name}: {ReplicaHealth.Label(replica.State)} ({replica.Detail})";
            }
            else if (lag > maxLag)
            {
                yield return $"{replica.Name}: lag {ReplicaHealth.Format(lag)} over {ReplicaHealth.Format(maxLag)} ({replica.Detail})";
            }
        }
    }

    /// <summary>Plain text for people and scripts alike: the status on the first line, then what is wrong.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString()).Append('\n');
        foreach (var entry in report.Entries.Values.Where(e => e.Description is not null))
        {
            text.Append(entry.Description).Append('\n');
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }

    public static HealthCheckOptions Ready { get; } = new() { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync };

    public static HealthCheckOptions Live { get; } = new() { Predicate = _ => false, ResponseWriter = WriteAsync };
}
