using System.Globalization;

namespace Portal.Web.Features.Replication;

/// <summary>
/// How many transactions a replica lacks, from two GTID positions in either server's format:
/// MariaDB's "domain-server-seq" list ("0-1-1042,1-3-7": the last seq per replication domain) or MySQL's GTID set
/// ("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-100:105-110,..."; interval lists per source UUID).
/// </summary>
public static class GtidPosition
{
    /// <summary>Transactions in <paramref name="master"/> that <paramref name="replica"/> has not applied; null if either is unknown.</summary>
    public static long? Behind(string? master, string? replica)
    {
        if (master is null || replica is null)
        {
            return null;
        }
        return master.Contains(':') || replica.Contains(':') ? SetBehind(master, replica) : DomainsBehind(master, replica);
    }

    private static long? DomainsBehind(string master, string replica)
    {
        var have = Domains(replica);
        var want = Domains(master);
        if (have is null || want is null)
        {
            return null;
        }
        // Within one domain seq_no only grows, so the difference of the last ones counts what is missing.
        return want.Sum(d => Math.Max(0, d.Value - have.GetValueOrDefault(d.Key)));
    }

    private static Dictionary<long, long>? Domains(string position)
    {
        var domains = new Dictionary<long, long>();
        foreach (var part in position.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = part.Split('-');
            if (fields.Length != 3 || !long.TryParse(fields[0], out var domain) || !long.TryParse(fields[2], out var seq))
            {
                return null;
            }
            domains[domain] = Math.Max(seq, domains.GetValueOrDefault(domain));
        }
        return domains;
    }

    private static long? SetBehind(string master, string replica)
    {
        var have = Intervals(replica);
        var want = Intervals(master);
        if (have is null || want is null)
        {
            return null;
        }
        long missing = 0;
        foreach (var (uuid, intervals) in want)
        {
            var applied = have.GetValueOrDefault(uuid) ?? [];
            foreach (var (start, end) in intervals)
            {
                var covered = applied.Sum(a => Math.Max(0, Math.Min(end, a.End) - Math.Max(start, a.Start) + 1));
                missing += end - start + 1 - covered;
            }
        }
        return missing;
    }

    /// <summary>UUID to inclusive intervals. MySQL prints the set over several lines; whitespace is ignored.</summary>
    private static Dictionary<string, List<(long Start, long End)>>? Intervals(string set)
    {
        var result = new Dictionary<string, List<(long, long)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in set.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = part.Split(':');
            if (!result.TryGetValue(fields[0], out var list))
            {
                result[fields[0]] = list = [];
            }
            foreach (var range in fields.Skip(1))
            {
                var bounds = range.Split('-');
                if (!long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ||
                    !long.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) || bounds.Length > 2)
                {
                    return null;
                }
                list.Add((start, end));
            }
        }
        return result;
    }
}
