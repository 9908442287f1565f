using MySqlConnector;
using Portal.IntegrationTests;

namespace Portal.Benchmarks;

/// <summary>The plain SQL a person would type, run with the portal's account and every column read.</summary>
public static class Raw
{
    private static readonly string ConnectionString = TestCluster.Database().AsteriskConnectionString;

    public static async Task<int> QueryAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }
        return rows;
    }
}
