using System.Net;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;

namespace Shop.Benchmarks;

/// <summary>
/// WeChat Pay TRANSACTION.SUCCESS notifications through POST /api/payments/wechat/notify: signed with the simulator's
/// platform key and encrypted with the merchant's APIv3 key (prepared before the clock starts), for orders created
/// beforehand. Then every notification again, as WeChat Pay re-delivers: each must be answered 204 and change nothing.
/// </summary>
public static class NotifyBenchmark
{
    public static async Task<List<LoadResult>> RunAsync(BenchmarkOptions options)
    {
        var payments = new PaymentsCluster();
        await payments.InitializeAsync();
        try
        {
            var cluster = payments.Cluster;
            var product = await cluster.ProductAsync(1_000_000, price: 990);
            var customers = Enumerable.Range(0, options.Callers).Select(k => cluster.Orders(TestTokens.Customer($"payer-{k}"))).ToArray();
            var count = Math.Max(options.Operations / 2, options.Callers);
            var orders = new string[count];
            var created = await LoadRunner.RunAsync("create orders to pay", options.Callers, count, async i =>
                orders[i] = (await customers[i % customers.Length].CreateAsync(OrderTestSupport.Request((product.Id, 1)))).OrderNo);

            var platformKey = await File.ReadAllTextAsync(payments.PlatformPrivateKeyPath);
            var notifications = orders.Select((orderNo, i) => CraftedNotification.Sign(
                CraftedNotification.Envelope(payments.Merchant.ApiV3Key,
                    CraftedNotification.TransactionJson(payments.Merchant.MchId, payments.Merchant.AppId, orderNo, $"42000{i:D12}", 990)),
                platformKey, PaymentsCluster.PublicKeyId)).ToArray();

            async Task Deliver(int i)
            {
                var (status, body) = await cluster.PostNotificationAsync(notifications[i]);
                if (status != HttpStatusCode.NoContent)
                {
                    throw new InvalidOperationException($"notify answered {(int)status}: {body}");
                }
            }

            using var statements = new StatementCounter(cluster.ConnectionString!);
            var first = await LoadRunner.RunAsync("payment notification", options.Callers, count, Deliver);
            Console.WriteLine($"  SQL statements per notification: {(double)statements.Count / first.Operations:N2}{Environment.NewLine}{statements.Breakdown(first.Operations)}");
            var again = await LoadRunner.RunAsync("payment notification, re-delivered", options.Callers, count, Deliver);
            return [created, first, again];
        }
        finally
        {
            await payments.DisposeAsync();
        }
    }
}
