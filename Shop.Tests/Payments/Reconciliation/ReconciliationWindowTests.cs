using Npgsql;
using Shop.Grains.Payments.Reconciliation;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>
/// The bill dates the scheduler goes back for and the unreconciled-days gauge counts, read from PostgreSQL (the store's
/// window query on a migrated database), and which of them a check starts.
/// </summary>
public sealed class ReconciliationWindowTests
{
    private static readonly DateOnly Due = new(2026, 12, 5);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_window_ends_with_the_due_date_and_starts_at_the_first_date_run_but_at_most_LookBackDays_back()
    {
        var database = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateMigratedAsync("recon_window")) { MaxPoolSize = 2 }.ConnectionString;
        var store = new ReconciliationStore(database);
        var from = new ReconciliationOptions().LookBackFrom(Due);
        try
        {
            // Nothing ever ran: only the due date (a new shop is not sent back a month).
            Assert.Equal([(Due, null)], await DatesAsync(store, from));
            // Only a later date ran (an operator's run of today): the due date still counts.
            await CompleteAsync(store, Due.AddDays(1));
            Assert.Equal([(Due, null)], await DatesAsync(store, from));

            // The first date run, failed; two days later a completed one; the due date completed: the failed one and the
            // one that never ran between them count.
            await store.BeginRunAsync(Due.AddDays(-3), "admin:x", Now);
            await store.FailRunAsync(Due.AddDays(-3), "SHA1 mismatch", Now);
            await CompleteAsync(store, Due.AddDays(-1));
            await CompleteAsync(store, Due);
            Assert.Equal([(Due.AddDays(-3), "failed"), (Due.AddDays(-2), null)], await DatesAsync(store, from));
            Assert.Equal(2, (await store.HealthAsync(Due, from)).Unreconciled);

            // A date run long before the window: the window is now the 31 (LookBackDays) dates ending with the due one, 2 completed.
            await CompleteAsync(store, Due.AddDays(-40));
            var dates = await DatesAsync(store, from);
            Assert.Equal((31 - 2, Due.AddDays(-30), Due.AddDays(-2)), (dates.Count, dates[0].Date, dates[^1].Date));
            Assert.Equal(29, (await store.HealthAsync(Due, from)).Unreconciled);

            // A check starts the due date if need be, then 3 more: the oldest that never ran; running and waiting dates wait.
            var (running, waiting) = (Due.AddDays(-30), Due.AddDays(-29));
            await store.BeginRunAsync(running, "system:catch-up", Now);
            await store.BeginRunAsync(waiting, "system:catch-up", Now);
            await store.WaitRunAsync(waiting, "STATEMENT_CREATING", Now);
            Assert.Equal([Due.AddDays(-28), Due.AddDays(-27), Due.AddDays(-26)],
                ReconciliationSchedulerGrain.ToStart(await store.UnreconciledDatesAsync(Due, from), Due));
            // Failed dates after those, the longest since their last start first: dates that keep failing take turns.
            UnreconciledDate Failed(int daysBack, int minutesAgo) => new(Due.AddDays(-daysBack), "failed", Now.AddMinutes(-minutesAgo));
            Assert.Equal([Due, Due.AddDays(-2), Due.AddDays(-5), Due.AddDays(-9)], ReconciliationSchedulerGrain.ToStart(
                [Failed(9, 30), Failed(8, 5), Failed(5, 60), new(Due.AddDays(-2), null, null), Failed(0, 1)], Due));
        }
        finally
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(database));
        }
    }

    private static async Task<List<(DateOnly Date, string? Status)>> DatesAsync(ReconciliationStore store, DateOnly from) =>
        [.. (await store.UnreconciledDatesAsync(Due, from)).Select(d => (d.Date, d.Status))];

    private static async Task CompleteAsync(ReconciliationStore store, DateOnly date)
    {
        await store.BeginRunAsync(date, "system:daily", Now);
        await store.CompleteRunAsync(date, [], [], Now);
    }
}
