using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Web.Data;

/// <summary>
/// Every session the portal opens runs in strict SQL mode: without it MySQL and MariaDB truncate an over-long
/// value with a warning and store the rest, which for a SIP secret or a dialplan step is a silent corruption.
/// </summary>
public sealed class StrictSession : DbConnectionInterceptor
{
    public const string Statement =
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_ZERO_DATE,NO_ZERO_IN_DATE'";

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await ApplyAsync(connection, cancellationToken);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Statement;
        command.ExecuteNonQuery();
    }

    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Statement;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
