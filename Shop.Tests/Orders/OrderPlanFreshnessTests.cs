using Npgsql;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>
/// The order path's batched statements must be planned for the table as it is. A generic plan made while
/// order_idempotency was empty scanned the whole table for every batch of answers as a sale filled it (measured in the
/// benchmark: 3.8 ms per statement at 60,000 rows, the orders a second halved) until autovacuum analyzed the table.
/// </summary>
public sealed class OrderPlanFreshnessTests
{
    [Fact]
    public async Task Idempotency_answers_are_never_run_with_a_plan_made_for_an_emptier_table()
    {
        var connectionString = HotPath(await TestDatabase.CreateMigratedAsync("plans"));

        // Control: the silo's connection settings alone let PostgreSQL switch to a generic plan after five executions.
        var plain = await PlansOfAnswerUpdateAsync(connectionString);
        Assert.True(plain.Generic > 0, $"expected PostgreSQL to pick a generic plan without fresh plans: {plain}");

        var fresh = await PlansOfAnswerUpdateAsync(OrdersRegistration.WithFreshPlans(connectionString));
        Assert.Equal(0, fresh.Generic);
        Assert.True(fresh.Custom >= 10, $"every answer planned for the table as it is: {fresh}");
    }

    [Fact]
    public void An_operator_choice_of_plan_cache_mode_is_kept()
    {
        var given = "Host=db;Options=-c plan_cache_mode=auto";
        Assert.Equal("-c plan_cache_mode=auto", new NpgsqlConnectionStringBuilder(OrdersRegistration.WithFreshPlans(given)).Options);
        Assert.Equal("-c search_path=shop -c plan_cache_mode=force_custom_plan",
            new NpgsqlConnectionStringBuilder(OrdersRegistration.WithFreshPlans("Host=db;Options=-c search_path=shop")).Options);
    }

    /// <summary>One connection (so its prepared statements can be read back), prepared after two uses, as in a silo.</summary>
    private static string HotPath(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        MaxPoolSize = 1,
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
        NoResetOnClose = true,
    }.ConnectionString;

    private static async Task<(long Generic, long Custom)> PlansOfAnswerUpdateAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresIdempotencyStore(dataSource);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            var key = $"plan-{Guid.NewGuid():N}";
            var record = new IdempotencyRecord($"hash-{i}", $"order-{i}", now, null);
            Assert.Null(await store.InsertOrGetAsync(key, record, now.AddDays(-1), CancellationToken.None));
            var stored = await store.CompleteAsync(key, record, new StoredAnswer($"sealed-{i}"), CancellationToken.None);
            Assert.Equal($"sealed-{i}", stored?.Answer?.SealedOutcome);
        }

        await using var command = dataSource.CreateCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%UPDATE order_idempotency AS t%'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the answer update was not prepared");
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
