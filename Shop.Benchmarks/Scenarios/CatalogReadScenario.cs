using System.Net;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;

namespace Shop.Benchmarks.Scenarios;

/// <summary>Storefront product detail, anonymous: <c>GET /api/products/{id}</c> of a random one of 100 on-shelf products.</summary>
public static class CatalogReadScenario
{
    public static async Task<List<ScenarioResult>> RunAsync(ScenarioContext context)
    {
        var seed = await CatalogSeed.CreateAsync(context.Deployment);
        var products = await seed.ProductsAsync(context.Options.Smoke ? 10 : 100, 1_000);
        var anonymous = context.Deployment.Http();
        var (_, run, statements) = await context.WarmThenMeasureAsync("catalog-read", async (_, _) =>
        {
            using var response = await anonymous.GetAsync($"/api/products/{products[Random.Shared.Next(products.Length)]}", HttpCompletionOption.ResponseHeadersRead);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode == HttpStatusCode.OK ? Outcome.Ok : Outcome.Failed;
        });
        return [ScenarioResult.From("catalog-read", run, statements?.PerOperation, context.LastCpu)];
    }
}
