using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Payments;
using Shop.Benchmarks.Report;
using Shop.Client.Identity;
using Shop.Client.Inventory;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// Payment notifications per second at <c>POST /api/payments/wechat/notify</c>, for orders placed and prepaid
/// beforehand by shoppers signed in through WeChat (as in a real purchase: the prepay arms reconciliation, the
/// notification disarms it). Then every notification again, as WeChat Pay re-delivers: 204 and nothing changes.
/// Audited: every order is paid exactly once, and its unit is sold, not reserved.
/// </summary>
public static class NotifyScenario
{
    public static async Task<List<ScenarioResult>> RunAsync(ScenarioContext context)
    {
        var merchant = context.Deployment.Payments
            ?? throw new ScenarioSkippedException("notify signs notifications with the simulator's platform key: only with the tool's own hosts");
        var seed = await CatalogSeed.CreateAsync(context.Deployment);
        var count = (int)(context.Options.Operations * 4 / 3 ?? (context.Options.Smoke ? 160 : 4_000));
        var product = await seed.ProductAsync(count);
        var tokens = new List<string>();
        var anonymous = context.Deployment.Http();
        for (var k = 0; k < context.Sizes.Customers; k++)
        {
            var login = await anonymous.PostAsJsonAsync("/api/auth/wechat/login", new { code = $"bench-code-{Guid.NewGuid():N}" });
            tokens.Add((await login.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken);
        }

        var placer = OrderPlacer.Create(context.Deployment, tokens);
        var placed = await LoadRunner.RunAsync("place orders to pay", new(context.Options.Callers, null, count), (caller, _) => placer.PlaceAsync(caller, product));
        var orders = placer.Created.ToArray();
        var prepaid = await LoadRunner.RunAsync("JSAPI prepay", new(context.Options.Callers, null, orders.Length), async (_, i) =>
        {
            using var response = await placer.Customer(orders[i].Caller).PostAsync($"/api/orders/{orders[i].OrderNo}/payments/wechat-jsapi", null);
            return response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Failed;
        });
        Console.WriteLine($"  {placed}{Environment.NewLine}  {prepaid}");

        using var platformKey = RSA.Create();
        platformKey.ImportFromPem(merchant.PlatformPrivateKeyPem);
        var notifications = orders.Select((o, i) => SignedNotification.PaymentSucceeded(merchant, platformKey, o.OrderNo, $"42000{i:D12}", CatalogSeed.PriceFen)).ToArray();
        async Task<Outcome> Deliver(long i)
        {
            using var request = notifications[i].ToRequest();
            using var response = await anonymous.SendAsync(request);
            return response.StatusCode == HttpStatusCode.NoContent ? Outcome.Ok
                : throw new InvalidOperationException($"notify answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // The first quarter warms the route up (JIT, tiering, pools); the rest is measured.
        var warm = notifications.Length / 4;
        await LoadRunner.RunAsync("notify warm-up", new(context.Options.Callers, null, warm), (_, i) => Deliver(i));
        var statements = await Postgres.StatementCounter.StartAsync(context.Deployment.Database);
        var first = await context.MeasureCpuAsync("notify",
            () => LoadRunner.RunAsync("notify", new(context.Options.Callers, null, notifications.Length - warm), (_, i) => Deliver(warm + i)));
        var count1 = statements is null ? null : await statements.StopAsync(first.Operations);
        var again = await LoadRunner.RunAsync("notify, re-delivered", new(context.Options.Callers, null, notifications.Length), (_, i) => Deliver(i));
        Console.WriteLine($"  {again}");
        ScenarioContext.PrintStatements(count1, "notify");

        var result = ScenarioResult.From("notify", first, count1?.PerOperation, context.LastCpu) with { Failures = first.Failures + again.Failures + placed.Failures + prepaid.Failures };
        return [await AuditAsync(result, seed.Stock, product, placer, orders.Length)];
    }

    /// <summary>Sold = paid orders, nothing left reserved, and each order (sampled through the API) says Paid.</summary>
    private static async Task<ScenarioResult> AuditAsync(ScenarioResult result, IStockApi stock, string product, OrderPlacer placer, int paid)
    {
        var notes = new List<string>();
        // The notification answers 204 once the payment is stored; the stock's confirm follows from the order.
        var levels = await stock.GetStockAsync(product, limit: 1);
        for (var wait = 0; wait < 100 && levels.Sold != paid; wait++)
        {
            await Task.Delay(100);
            levels = await stock.GetStockAsync(product, limit: 1);
        }

        if (levels.Sold != paid || levels.Reserved != 0 || levels.Available + levels.Reserved + levels.Sold != levels.Total)
        {
            notes.Add($"{paid} orders paid but stock is {levels.Available} available, {levels.Reserved} reserved, {levels.Sold} sold of {levels.Total}");
        }

        var sample = placer.Created.OrderBy(_ => Random.Shared.Next()).Take(100).ToArray();
        var notPaid = 0;
        foreach (var (orderNo, _, caller) in sample)
        {
            var order = await placer.Customer(caller).GetFromJsonAsync<Shop.Client.Orders.OrderResponse>($"/api/orders/{orderNo}", Shop.Client.ShopJson.CreateOptions());
            notPaid += order?.Status == Shop.Client.Orders.OrderStatuses.Paid && order.History.Count(h => h.Trigger == "Pay") == 1 ? 0 : 1;
        }

        if (notPaid > 0)
        {
            notes.Add($"{notPaid} of {sample.Length} sampled orders are not paid exactly once");
        }

        Console.WriteLine($"  audit: {(notes.Count == 0 ? "passed" : "FAILED")}: {paid} paid, stock sold {levels.Sold}, reserved {levels.Reserved}; {sample.Length} orders checked by GET");
        return result with { Oversold = Math.Max(0, levels.Sold + levels.Reserved - levels.Total), AuditPassed = notes.Count == 0, Notes = notes };
    }
}
