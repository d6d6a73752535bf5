using System.Text.Json;
using Npgsql;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Orders;

namespace Shop.Grains.Fulfilment;

/// <summary>Figures of the upload backlog: pending and failed counts, and the age of the oldest of them (since it was queued).</summary>
public sealed record ShippingUploadBacklogFigures(long Pending, long Failed, double OldestWaitingSeconds);

/// <summary>Orders by the state of their shipping-information upload, read from the orders table (the source of truth).</summary>
public interface IShippingUploadStore
{
    Task<IReadOnlyList<ShippingUploadListItem>> ListAsync(ShippingUploadState state, int limit, CancellationToken cancellationToken);

    Task<ShippingUploadBacklogFigures> CountAsync(CancellationToken cancellationToken);
}

/// <summary>
/// deploy/sql/0055_orders_shipping_upload.sql indexes exactly the rows these statements read. Plain connections: the
/// silo's pool for occasional statements (a data source of its own would be a pool outside the silo's connection budget).
/// </summary>
public sealed class PostgresShippingUploadStore(string connectionString) : IShippingUploadStore
{
    private const string UploadState = "state->'fulfilment'->'upload'->>'state'";

    public async Task<IReadOnlyList<ShippingUploadListItem>> ListAsync(ShippingUploadState state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT order_no, (state->'fulfilment'->'upload')::text FROM orders
            WHERE {UploadState} = @state
            ORDER BY (state->'fulfilment'->'upload'->>'queuedAt')::timestamptz, order_no
            LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("state", state.ToString());
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<ShippingUploadListItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ShippingUploadListItem(reader.GetString(0), JsonSerializer.Deserialize<ShippingUpload>(reader.GetString(1), OrderStateJson.Options)!));
        }

        return items;
    }

    public async Task<ShippingUploadBacklogFigures> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT count(*) FILTER (WHERE {UploadState} = 'Pending'),
                   count(*) FILTER (WHERE {UploadState} = 'Failed'),
                   coalesce(extract(epoch FROM now() - min((state->'fulfilment'->'upload'->>'queuedAt')::timestamptz)), 0)::float8
            FROM orders WHERE {UploadState} IN ('Pending', 'Failed')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ShippingUploadBacklogFigures(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
    }
}

/// <summary>The embedded mode: the same answers from the in-memory orders table.</summary>
public sealed class InMemoryShippingUploadStore(InMemoryOrderStore orders, TimeProvider clock) : IShippingUploadStore
{
    public Task<IReadOnlyList<ShippingUploadListItem>> ListAsync(ShippingUploadState state, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ShippingUploadListItem>>([.. Uploads().Where(u => u.Upload.State == state)
            .OrderBy(u => u.Upload.QueuedAt).ThenBy(u => u.OrderNo, StringComparer.Ordinal).Take(limit)]);

    public Task<ShippingUploadBacklogFigures> CountAsync(CancellationToken cancellationToken)
    {
        var uploads = Uploads().ToList();
        var waiting = uploads.Where(u => u.Upload.State != ShippingUploadState.Uploaded).ToList();
        var oldest = waiting.Count == 0 ? 0 : (clock.GetUtcNow() - waiting.Min(u => u.Upload.QueuedAt)).TotalSeconds;
        return Task.FromResult(new ShippingUploadBacklogFigures(waiting.Count(u => u.Upload.State == ShippingUploadState.Pending),
            waiting.Count(u => u.Upload.State == ShippingUploadState.Failed), oldest));
    }

    private IEnumerable<ShippingUploadListItem> Uploads() => orders.Rows()
        .Select(r => JsonSerializer.Deserialize<OrderState>(r.StateJson, OrderStateJson.Options)!)
        .Where(o => o.Fulfilment?.Upload is not null)
        .Select(o => new ShippingUploadListItem(o.OrderNo, o.Fulfilment!.Upload!));
}
