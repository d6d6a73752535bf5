using Shop.Benchmarks.Audit;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;
using Shop.Client.Campaigns;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// The flash sale as a campaign: one SKU whose whole stock is a running campaign's allotment at a campaign price,
/// with a per-customer limit of twice a fair share, and 64 customers ordering until each is refused. Exactly the
/// allotment must be sold, no customer past the limit, every customer finally told CAMPAIGN_SOLD_OUT or
/// CAMPAIGN_LIMIT_REACHED; the audits (this tool's and GET /api/admin/audit/stock) include the allotment. Compared with
/// order-http-hot, the difference is what the campaign and limit checks cost per order.
/// </summary>
public static class OrderHttpCampaignScenario
{
    public static async Task<List<ScenarioResult>> RunAsync(ScenarioContext context)
    {
        var seed = await CatalogSeed.CreateAsync(context.Deployment);
        var units = context.Sizes.HotUnits;
        var customers = context.Sizes.Customers;
        var limit = Math.Max(1, 2 * units / customers);
        var warm = await seed.ProductAsync(1_000_000);
        var hot = await seed.ProductAsync(units);
        var admin = CampaignsApiClient.Create(context.Deployment.Http(await context.Deployment.Tokens.AdminAsync()));
        var now = DateTimeOffset.UtcNow;
        var created = await admin.CreateAsync(new CreateCampaignRequest("Benchmark flash sale",
            [new CampaignSkuRequest(hot, CatalogSeed.PriceFen / 2, units)], now.AddSeconds(-1), now.AddHours(2), limit, 300));
        var campaign = created.Content ?? throw new InvalidOperationException($"POST /api/admin/campaigns answered {created.StatusCode}: {(created.Error as Refit.ApiException)?.Content}");

        var placer = await OrderPlacer.CreateAsync(context.Deployment, customers);
        await LoadRunner.RunAsync("order-http-campaign warm-up", context.Warmup(), (caller, _) => placer.PlaceAsync(caller, warm));
        var statements = await Postgres.StatementCounter.StartAsync(context.Deployment.Database);
        var run = await context.MeasureCpuAsync("order-http-campaign",
            () => LoadRunner.RunAsync("order-http-campaign", new(context.Options.Callers, null, null), (caller, _) => placer.PlaceAsync(caller, hot, campaign.Id)));
        Console.WriteLine($"  then {string.Join(", ", placer.CampaignRefusals.Select(p => $"{p.Value} answers 409 {p.Key}"))}");
        var count = statements is null ? null : await statements.StopAsync(run.Operations);
        ScenarioContext.PrintStatements(count, "order-http-campaign");

        var notes = new List<string>();
        var sold = placer.Created.Count(c => c.ProductId == hot);
        if (sold != units)
        {
            notes.Add($"the campaign sold {sold:N0} units, not exactly its allotment of {units:N0}");
        }

        var most = placer.Created.Where(c => c.ProductId == hot).GroupBy(c => c.Caller % customers).Select(g => g.Count()).DefaultIfEmpty().Max();
        if (most > limit)
        {
            notes.Add($"a customer got {most} units, past the limit of {limit}");
        }

        var state = (await admin.GetAsync(campaign.Id)).Content;
        if (state is not { Remaining: 0 } || state.Reserved + state.Sold != sold)
        {
            notes.Add($"the campaign shows {state?.Reserved} reserved + {state?.Sold} sold, {state?.Remaining} remaining, for {sold} orders");
        }

        var result = ScenarioResult.From("order-http-campaign", run, count?.PerOperation, context.LastCpu);
        result = await OrderAudit.RunAsync(result with { Notes = notes }, context, seed.Stock,
            new Dictionary<string, long> { [warm] = 1_000_000, [hot] = units }, placer);
        return [context.Compare(result with { AuditPassed = result.AuditPassed == true && notes.Count == 0 }, BaselinePg.Order)];
    }
}
