using Npgsql;
using NpgsqlTypes;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// The raw-PostgreSQL floor of the same run, on the same server, in a schema of its own (as /work/shared/perf's pgbench
/// scripts): the hot-row decrement, and "an order" as one transaction (insert order + insert line + decrement stock of a
/// random one of 10,000 SKUs), each caller on its own connection with prepared statements, as pgbench -M prepared.
/// </summary>
public static class BaselinePg
{
    public const string HotRow = "baseline-pg-hot-row";
    public const string Order = "baseline-pg-order";

    private const string Schema = """
        CREATE TABLE inventory(sku bigint PRIMARY KEY, stock int NOT NULL);
        INSERT INTO inventory SELECT g, 1000000000 FROM generate_series(1, 10000) g;
        CREATE TABLE orders(id uuid PRIMARY KEY, sku bigint NOT NULL, qty int NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);
        CREATE TABLE order_lines(order_id uuid NOT NULL, line int NOT NULL, sku bigint NOT NULL, qty int NOT NULL, price_fen bigint NOT NULL,
            PRIMARY KEY (order_id, line));
        """;

    public static async Task<List<ScenarioResult>> RunAsync(ScenarioContext context)
    {
        var server = context.Postgres is not null ? await context.Postgres.CreateDatabaseAsync("shop_baseline")
            : throw new Hosts.ScenarioSkippedException("baseline-pg needs the deployment's PostgreSQL: pass --db");
        var schema = "bench_baseline_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = context.Options.Callers + 4 }.ConnectionString;
        await using (var setup = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}; SET search_path TO {schema}; {Schema}", setup);
            await create.ExecuteNonQueryAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE inventory", setup);
            await vacuum.ExecuteNonQueryAsync();
        }

        try
        {
            var hot = await MeasureAsync(context, HotRow, connectionString, HotRowAsync);
            var order = await MeasureAsync(context, Order, connectionString, OrderAsync);
            return [hot, order];
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
            await drop.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", drop);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<ScenarioResult> MeasureAsync(ScenarioContext context, string name, string connectionString,
        Func<NpgsqlConnection, Task<Outcome>> operation)
    {
        var connections = new NpgsqlConnection[context.Options.Callers];
        try
        {
            for (var i = 0; i < connections.Length; i++)
            {
                connections[i] = new NpgsqlConnection(connectionString);
                await connections[i].OpenAsync();
            }

            var (_, run, _) = await context.WarmThenMeasureAsync(name, (caller, _) => operation(connections[caller]), countStatements: false);
            return ScenarioResult.From(name, run, cpu: context.LastCpu);
        }
        finally
        {
            foreach (var connection in connections.Where(c => c is not null))
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<Outcome> HotRowAsync(NpgsqlConnection connection)
    {
        await using var update = new NpgsqlCommand("UPDATE inventory SET stock = stock - 1 WHERE sku = 1 AND stock >= 1", connection);
        await update.PrepareAsync();
        return await update.ExecuteNonQueryAsync() == 1 ? Outcome.Ok : Outcome.Failed;
    }

    private static async Task<Outcome> OrderAsync(NpgsqlConnection connection)
    {
        var id = Guid.NewGuid();
        var sku = Random.Shared.NextInt64(1, 10_001);
        await using var transaction = await connection.BeginTransactionAsync();
        await using var order = new NpgsqlCommand(
            "INSERT INTO orders(id, sku, qty, status, created_at) VALUES ($1, $2, 1, 'reserved', now())", connection, transaction)
        {
            Parameters = { new() { Value = id }, new() { Value = sku } },
        };
        await using var line = new NpgsqlCommand(
            "INSERT INTO order_lines(order_id, line, sku, qty, price_fen) VALUES ($1, 1, $2, 1, 1999)", connection, transaction)
        {
            Parameters = { new() { Value = id }, new() { Value = sku } },
        };
        await using var stock = new NpgsqlCommand("UPDATE inventory SET stock = stock - 1 WHERE sku = $1 AND stock >= 1", connection, transaction)
        {
            Parameters = { new() { Value = sku, NpgsqlDbType = NpgsqlDbType.Bigint } },
        };
        foreach (var command in new[] { order, line, stock })
        {
            await command.PrepareAsync();
        }

        await order.ExecuteNonQueryAsync();
        await line.ExecuteNonQueryAsync();
        if (await stock.ExecuteNonQueryAsync() != 1)
        {
            await transaction.RollbackAsync();
            return Outcome.Failed;
        }

        await transaction.CommitAsync();
        return Outcome.Ok;
    }
}
