using Shop.Benchmarks.Audit;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;

namespace Shop.Benchmarks.Scenarios;

/// <summary>Checkout over HTTP, as a storefront drives it: JWT, JSON, Idempotency-Key, the API, the grains, PostgreSQL.</summary>
public static class OrderHttpScenarios
{
    /// <summary>
    /// The flash sale: one SKU with 20,000 units, 64 customers ordering until it is sold out. Exactly 20,000 orders
    /// must be created, and every customer must then be told 409 OUT_OF_STOCK.
    /// </summary>
    public static async Task<List<ScenarioResult>> HotAsync(ScenarioContext context)
    {
        var seed = await CatalogSeed.CreateAsync(context.Deployment);
        var units = context.Sizes.HotUnits;
        var warm = await seed.ProductAsync(1_000_000);
        var hot = await seed.ProductAsync(units);
        var placer = await OrderPlacer.CreateAsync(context.Deployment, context.Sizes.Customers);
        // Warm-up on another product of the same shop, so the hot one starts the sale with all its units.
        await LoadRunner.RunAsync("order-http-hot warm-up", context.Warmup(), (caller, _) => placer.PlaceAsync(caller, warm));
        var warmOrders = placer.Created.Count;
        var statements = await Postgres.StatementCounter.StartAsync(context.Deployment.Database);
        var run = await context.MeasureCpuAsync("order-http-hot",
            () => LoadRunner.RunAsync("order-http-hot", new(context.Options.Callers, null, null), (caller, _) => placer.PlaceAsync(caller, hot)));
        Console.WriteLine($"  then {placer.OutOfStock} answers 409 OUT_OF_STOCK");
        var count = statements is null ? null : await statements.StopAsync(run.Operations);
        ScenarioContext.PrintStatements(count, "order-http-hot");

        var result = ScenarioResult.From("order-http-hot", run, count?.PerOperation, context.LastCpu);
        var notes = new List<string>();
        if (placer.Created.Count - warmOrders != units)
        {
            notes.Add($"sold out after {placer.Created.Count - warmOrders:N0} orders, not exactly {units:N0}");
        }

        if (placer.OutOfStock == 0)
        {
            notes.Add("no 409 OUT_OF_STOCK answer after the sale");
        }

        result = await OrderAudit.RunAsync(result with { Notes = notes }, context, seed.Stock,
            new Dictionary<string, long> { [warm] = 1_000_000, [hot] = units }, placer);
        return [context.Compare(result with { AuditPassed = result.AuditPassed == true && notes.Count == 0 }, BaselinePg.Order)];
    }

    /// <summary>Many products (1,000), a random one per order, for the measured duration.</summary>
    public static async Task<List<ScenarioResult>> MixAsync(ScenarioContext context)
    {
        var seed = await CatalogSeed.CreateAsync(context.Deployment);
        const long stock = 1_000_000;
        var products = await seed.ProductsAsync(context.Sizes.MixSkus, stock);
        var placer = await OrderPlacer.CreateAsync(context.Deployment, context.Sizes.Customers);
        var (_, run, statements) = await context.WarmThenMeasureAsync("order-http-mix",
            (caller, _) => placer.PlaceAsync(caller, products[Random.Shared.Next(products.Length)]));
        var result = ScenarioResult.From("order-http-mix", run, statements?.PerOperation, context.LastCpu);
        result = await OrderAudit.RunAsync(result, context, seed.Stock, products.ToDictionary(p => p, _ => stock), placer);
        return [context.Compare(result, BaselinePg.Order)];
    }
}
