using Npgsql;
using Shop.Grains.Orders;

namespace Shop.Grains.Campaigns;

/// <summary>
/// The orders table: a customer's unpaid orders by the (user_id, created_at) index, their deadline from due_at. Plain
/// connections (the silo's pool): one read per customer activation does not earn a pool outside the connection budget.
/// </summary>
public sealed class PostgresUnpaidOrderSource(string connectionString) : IUnpaidOrderSource
{
    public async Task<IReadOnlyList<(string OrderNo, DateTimeOffset Until)>> ListUnpaidAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT order_no, due_at FROM orders WHERE user_id = $1 AND status IN ('PendingPayment', 'Reserving') AND due_at IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var unpaid = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unpaid.Add((reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
        }

        return unpaid;
    }
}

/// <summary>The embedded mode's orders, in this process.</summary>
public sealed class InMemoryUnpaidOrderSource(IOrderStore orders) : IUnpaidOrderSource
{
    public Task<IReadOnlyList<(string OrderNo, DateTimeOffset Until)>> ListUnpaidAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, DateTimeOffset)>>(orders is InMemoryOrderStore memory
            ? [.. memory.Rows().Where(r => r.UserId == userId && r.Status is "PendingPayment" or "Reserving" && r.DueAt is not null)
                .Select(r => (r.OrderNo, r.DueAt!.Value))]
            : []);
}
