using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// Durable reservations from an Orleans client, as the silo's order grains make them: through
/// <see cref="ReservationCoalescer"/> (concurrent callers of one SKU share a grain call) or, across many SKUs,
/// <see cref="ReservationRouter"/> (concurrent callers share a call to a silo); every caller reserves one unit
/// under a new reservation id. Audited afterwards: every Reserved answer is held, and nothing beyond the stock.
/// </summary>
public static class ReserveScenarios
{
    /// <summary>One hot SKU, as in a flash sale; with <paramref name="live"/>, that many unpaid reservations held on it first.</summary>
    public static async Task<List<ScenarioResult>> HotAsync(ScenarioContext context, bool live)
    {
        var name = live ? "reserve-hot-live" : "reserve-hot";
        var grains = await context.Deployment.GrainsAsync();
        var coalescer = new ReservationCoalescer(grains);
        var sku = grains.GetGrain<IInventoryGrain>($"bench-{name}-{Guid.NewGuid():N}");
        var received = await StockUpAsync(sku, context.Options.Smoke ? 1 : 6);
        var until = DateTimeOffset.UtcNow.AddHours(2);
        var reserved = 0L;
        if (live)
        {
            var held = await LoadRunner.RunAsync("live reservations", new(context.Options.Callers, null, context.Sizes.LiveReservations),
                async (_, i) => await Reserve(coalescer, sku, $"live-{i}", until));
            reserved += held.Operations;
            Console.WriteLine($"  {held.Operations:N0} live reservations held before measuring");
        }

        var ids = new IdSource("r");
        var (warmup, run, statements) = await context.WarmThenMeasureAsync(name, (_, _) => Reserve(coalescer, sku, ids.Next(), until));
        reserved += warmup.Operations + run.Operations;
        var result = await AuditAsync(ScenarioResult.From(name, run, statements?.PerOperation, context.LastCpu), [(sku, received)], reserved);
        return [context.Compare(result, BaselinePg.HotRow)];
    }

    /// <summary>
    /// Many SKUs (10,000, or <c>--skus</c>): each reservation goes to a random one, so the cost must not grow with their number. Through
    /// <see cref="ReservationRouter"/>: the callers' reservations travel to a silo in shared calls and are made there the
    /// way its order grains make them (a client-to-silo round trip per reservation would measure the network, not the stock).
    /// </summary>
    public static async Task<List<ScenarioResult>> SpreadAsync(ScenarioContext context)
    {
        var grains = await context.Deployment.GrainsAsync();
        var router = new ReservationRouter(grains);
        var run = Guid.NewGuid().ToString("N")[..8];
        var skus = Enumerable.Range(0, context.Sizes.SpreadSkus).Select(i => grains.GetGrain<IInventoryGrain>($"bench-spread-{run}-{i}")).ToArray();
        var perSku = context.Options.Smoke ? 10_000 : 1_000_000;
        var seeding = await LoadRunner.RunAsync($"stock {skus.Length:N0} SKUs", new(context.Options.Callers, null, skus.Length), async (_, i) =>
            (await skus[i].AdjustAsync(perSku, "benchmark stock", "bench", $"seed-{i}")).Status == AdjustStatus.Adjusted ? Outcome.Ok : Outcome.Failed);
        Console.WriteLine($"  {seeding.Operations:N0} SKUs stocked in {seeding.Elapsed.TotalSeconds:N1} s");
        var until = DateTimeOffset.UtcNow.AddHours(2);
        var ids = new IdSource("s");
        var (warmup, measured, statements) = await context.WarmThenMeasureAsync("reserve-spread",
            async (_, _) => (await router.ReserveAsync(skus[Random.Shared.Next(skus.Length)].GetPrimaryKeyString(), ids.Next(), 1, until)).Status
                == ReserveStatus.Reserved ? Outcome.Ok : Outcome.Failed);
        var result = ScenarioResult.From("reserve-spread", measured, statements?.PerOperation, context.LastCpu);
        result = result with { Notes = [.. result.Notes, $"{skus.Length:N0} SKUs"] };
        result = await AuditAsync(result, [.. skus.Select(s => (s, (long)perSku))], warmup.Operations + measured.Operations);
        return [context.Compare(result, BaselinePg.HotRow)];
    }

    private static async Task<long> StockUpAsync(IInventoryGrain sku, int millions)
    {
        for (var i = 0; i < millions; i++)
        {
            var adjusted = await sku.AdjustAsync(1_000_000, "benchmark stock", "bench", $"seed-{i}");
            if (adjusted.Status != AdjustStatus.Adjusted)
            {
                throw new InvalidOperationException($"stocking the benchmark SKU answered {adjusted.Status}");
            }
        }

        return millions * 1_000_000L;
    }

    private static async Task<Outcome> Reserve(ReservationCoalescer coalescer, IInventoryGrain sku, string id, DateTimeOffset until) =>
        (await coalescer.ReserveAsync(sku.GetPrimaryKeyString(), id, 1, until)).Status == ReserveStatus.Reserved ? Outcome.Ok : Outcome.Failed;

    /// <summary>
    /// Levels add up on every SKU (total = received = available + reserved + sold), no more reserved than received, and
    /// the reserved units across the SKUs are exactly the Reserved answers: none lost, none invented.
    /// </summary>
    private static async Task<ScenarioResult> AuditAsync(ScenarioResult result, IReadOnlyList<(IInventoryGrain Sku, long Received)> skus, long answeredReserved)
    {
        var notes = new List<string>();
        long reserved = 0, oversold = 0;
        foreach (var chunk in skus.Chunk(64))
        {
            var levels = await Task.WhenAll(chunk.Select(async s => (s.Received, Levels: await s.Sku.GetLevelsAsync())));
            foreach (var (received, l) in levels)
            {
                reserved += l.Reserved;
                oversold += Math.Max(0, l.Reserved + l.Sold - received);
                if (l.Total != received || l.Available + l.Reserved + l.Sold != received)
                {
                    notes.Add($"levels do not add up: received {received}, {l}");
                }
            }
        }

        if (reserved != answeredReserved)
        {
            notes.Add($"{answeredReserved:N0} reservations answered Reserved but {reserved:N0} units are reserved");
        }

        Console.WriteLine($"  audit: {(notes.Count == 0 ? "passed" : "FAILED")}: {answeredReserved:N0} reserved answers = {reserved:N0} units reserved, oversold {oversold}");
        return result with { Oversold = oversold, AuditPassed = notes.Count == 0, Notes = [.. result.Notes, .. notes.Take(5)] };
    }
}
