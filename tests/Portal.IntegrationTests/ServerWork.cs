using MySqlConnector;

namespace Portal.IntegrationTests;

/// <summary>
/// What a piece of code made the master do, from its global status counters: the rows its handlers read (an index
/// range reads about the rows it returns, a scan reads the table) and the statements it was sent, by kind. The test
/// cluster serves one test at a time, so the change in the counters is that code's work, give or take the few reads of
/// the measuring itself. Work done, unlike time taken, is the same on an idle machine and a busy one.
/// </summary>
public sealed record ServerWork(long RowsRead, long Selects, long Inserts, long Statements)
{
    public static async Task<(T Result, ServerWork Work)> MeasureAsync<T>(Func<Task<T>> work)
    {
        // Reading the counters is work too (the status table is scanned): one read with nothing between says how much.
        var idle = await ReadAsync();
        var before = await ReadAsync();
        var reading = before.Minus(idle);
        var result = await work();
        var after = await ReadAsync();
        return (result, after.Minus(before).Minus(reading));
    }

    private ServerWork Minus(ServerWork other) =>
        new(RowsRead - other.RowsRead, Selects - other.Selects, Inserts - other.Inserts, Statements - other.Statements);

    public override string ToString() => $"{RowsRead:N0} rows read, {Statements:N0} statements ({Selects:N0} SELECT, {Inserts:N0} INSERT)";

    private static async Task<ServerWork> ReadAsync()
    {
        await using var connection = new MySqlConnection(TestCluster.RootConnectionString("master"));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            """
            SELECT SUM(IF(VARIABLE_NAME LIKE 'HANDLER\_READ\_%', VARIABLE_VALUE, 0)),
                   SUM(IF(VARIABLE_NAME = 'COM_SELECT', VARIABLE_VALUE, 0)),
                   SUM(IF(VARIABLE_NAME = 'COM_INSERT', VARIABLE_VALUE, 0)),
                   SUM(IF(VARIABLE_NAME = 'QUESTIONS', VARIABLE_VALUE, 0))
            FROM information_schema.GLOBAL_STATUS
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ServerWork(Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2)), Convert.ToInt64(reader.GetValue(3)));
    }
}
