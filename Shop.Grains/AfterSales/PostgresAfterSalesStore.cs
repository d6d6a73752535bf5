using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.AfterSales;

namespace Shop.Grains.AfterSales;

/// <summary>
/// <c>after_sales_requests</c> (deploy/sql/0060_after_sales.sql): the request as jsonb beside the columns the lists
/// filter and sort on. Each write is one statement fenced by version. Plain pooled connections (the silo's pool for
/// Orleans' providers and the event log): no data source of its own, so the silo's connection budget is unchanged.
/// </summary>
public sealed class PostgresAfterSalesStore(string connectionString) : IAfterSalesStore
{
    private const string Insert = """
        INSERT INTO after_sales_requests (request_id, order_no, user_id, status, kind, amount_fen, created_at, updated_at, due_at, version, state)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) ON CONFLICT (request_id) DO NOTHING
        """;

    private const string Update = """
        UPDATE after_sales_requests SET status = $4, updated_at = $8, due_at = $9, version = version + 1, state = $10
        WHERE request_id = $1 AND version = $11
        """;

    public async Task<(AfterSalesRequest? Request, long Version)> LoadAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT state::text, version FROM after_sales_requests WHERE request_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (JsonSerializer.Deserialize<AfterSalesRequest>(reader.GetString(0), AfterSalesJson.Options), reader.GetInt64(1))
            : (null, 0);
    }

    public async Task SaveAsync(AfterSalesRequest request, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(expectedVersion == 0 ? Insert : Update, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = request.RequestId });
        command.Parameters.Add(new NpgsqlParameter { Value = request.OrderNo });
        command.Parameters.Add(new NpgsqlParameter { Value = request.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Kind.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.AmountFen });
        command.Parameters.Add(new NpgsqlParameter { Value = request.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = request.UpdatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)request.DueAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(request, AfterSalesJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (expectedVersion != 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new AfterSalesVersionConflictException(request.RequestId, expectedVersion);
        }
    }

    public async Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        const string Filter = "($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR order_no = $2) AND ($3::text IS NULL OR user_id = $3)";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command($"SELECT state::text FROM after_sales_requests WHERE {Filter} ORDER BY created_at, request_id LIMIT $4 OFFSET $5", query),
                Command($"SELECT count(*) FROM after_sales_requests WHERE {Filter}", query),
                new NpgsqlBatchCommand("SELECT status, count(*) FROM after_sales_requests GROUP BY status"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<AfterSalesRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(JsonSerializer.Deserialize<AfterSalesRequest>(reader.GetString(0), AfterSalesJson.Options)!);
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var counts = new Dictionary<AfterSalesStatus, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Enum.TryParse<AfterSalesStatus>(reader.GetString(0), out var status))
            {
                counts[status] = reader.GetInt64(1);
            }
        }

        return new AfterSalesListPage(items, total, counts);
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT request_id FROM after_sales_requests WHERE due_at <= $1 ORDER BY due_at, request_id LIMIT $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(reader.GetString(0));
        }

        return due;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static NpgsqlBatchCommand Command(string sql, AfterSalesListQuery query) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter { Value = (object?)query.Status?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)query.OrderNo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)query.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = query.Size },
            new NpgsqlParameter { Value = (query.Page - 1) * query.Size },
        },
    };
}
