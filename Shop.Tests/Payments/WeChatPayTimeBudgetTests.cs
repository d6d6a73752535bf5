using System.Diagnostics;
using System.Net;
using Shop.Client;
using Shop.Client.Payments;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Payments;

/// <summary>A 3 s shopper budget and a breaker that opens after 3 calls of which half failed, for 3 s.</summary>
public sealed class BudgetedPaymentsCluster : PaymentsCluster
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(3);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["WeChatPay:ShopperTimeBudget"] = Budget.ToString(),
        ["WeChatPay:CircuitBreaker:MinimumThroughput"] = "3",
        ["WeChatPay:CircuitBreaker:BreakDuration"] = BreakDuration.ToString(),
    };
}

/// <summary>
/// A shopper never waits on a hanging WeChat Pay longer than the budget, and once WeChat Pay keeps failing the API stops
/// calling it and answers 503 at once, until it is healthy again. The simulator hangs or fails on command; everything
/// else about the protocol (signatures, verification) stays real.
/// </summary>
public sealed class WeChatPayTimeBudgetTests(BudgetedPaymentsCluster payments, ITestOutputHelper output) : IClassFixture<BudgetedPaymentsCluster>
{
    private const string Prepay = "/v3/pay/transactions/jsapi";

    /// <summary>Small: the API, the grains and the order lookup, but no wait on WeChat Pay.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Shopper_calls_answer_503_within_the_budget_then_the_breaker_answers_at_once_and_recovers()
    {
        var cluster = payments.Cluster;
        var token = await payments.LoginAsync("budget-" + Guid.NewGuid().ToString("N"));

        // WeChat Pay hangs: without a budget the shopper would wait for the 10 s attempt timeout and the retries.
        await ArmAsync(new { path_prefix = Prepay, method = "POST", count = 1, delay_ms = 60_000 });
        var (hung, _) = await cluster.OrderAsync(token, quantity: 1);
        var (status, elapsed, retryAfter) = await PrepayAsync(hung.OrderNo, token, PaymentErrorCodes.PaymentProviderUnavailable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.InRange(elapsed, BudgetedPaymentsCluster.Budget * 0.9, BudgetedPaymentsCluster.Budget + Margin);
        Assert.NotNull(retryAfter);

        // WeChat Pay fails every call: after a few failures the breaker opens and prepay answers without calling it.
        await ArmAsync(new { path_prefix = Prepay, method = "POST", count = 100 });
        var open = false;
        for (var i = 0; i < 5 && !open; i++)
        {
            var (failing, _) = await cluster.OrderAsync(token, quantity: 1);
            (status, elapsed, _) = await PrepayAsync(failing.OrderNo, token, PaymentErrorCodes.PaymentProviderUnavailable);
            Assert.InRange(elapsed, TimeSpan.Zero, BudgetedPaymentsCluster.Budget + Margin);
            open = elapsed < AtOnce;
        }

        Assert.True(open, "the breaker never answered at once");

        // WeChat Pay is healthy again, but the breaker is still open: 503 at once, with the time left of the break.
        await DisarmAsync();
        var (order, _) = await cluster.OrderAsync(token, quantity: 1);
        (status, elapsed, retryAfter) = await PrepayAsync(order.OrderNo, token, PaymentErrorCodes.PaymentProviderUnavailable);
        Assert.True(elapsed < AtOnce, $"took {elapsed}");
        Assert.InRange(retryAfter!.Value, 1, (int)BudgetedPaymentsCluster.BreakDuration.TotalSeconds);
        Assert.Empty(payments.SimulatorLedger.OrdersNumbered(order.OrderNo));

        // After the break one trial call goes through and closes the breaker: the shopper can pay.
        var paid = await Poll.UntilAsync(() => PrepayAsync(order.OrderNo, token, PaymentErrorCodes.PaymentProviderUnavailable),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "prepay to succeed after the break");
        Assert.Single(payments.SimulatorLedger.OrdersNumbered(order.OrderNo));
        Assert.True(paid.Elapsed < BudgetedPaymentsCluster.Budget, $"took {paid.Elapsed}");

        // A shopper's cancel closes the transaction first: with the close hanging it gets the same budget, then works.
        await ArmAsync(new { path_prefix = $"/v3/pay/transactions/out-trade-no/{order.OrderNo}/close", method = "POST", count = 1, delay_ms = 60_000 });
        var (cancelStatus, cancelElapsed) = await CancelAsync(order.OrderNo, token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cancelStatus);
        Assert.InRange(cancelElapsed, BudgetedPaymentsCluster.Budget * 0.9, BudgetedPaymentsCluster.Budget + Margin);
        // The hung close (and the query it left no time for) may have tripped the tiny breaker again: it recovers by itself.
        await Poll.UntilAsync(() => CancelAsync(order.OrderNo, token), r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the cancel to go through");
        Assert.Equal("Cancelled", (await cluster.WaitForStatusAsync(token, order.OrderNo, "Cancelled")).Status);
    }

    private async Task<(HttpStatusCode Status, TimeSpan Elapsed)> CancelAsync(string orderNo, string token)
    {
        using var client = payments.Cluster.CreateClient(token);
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync($"/api/orders/{orderNo}/cancel", null);
        var elapsed = clock.Elapsed;
        output.WriteLine($"cancel {orderNo}: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms, Retry-After {response.Headers.RetryAfter}");
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable, ShopErrorCodes.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        return (response.StatusCode, elapsed);
    }

    private async Task<(HttpStatusCode Status, TimeSpan Elapsed, int? RetryAfter)> PrepayAsync(string orderNo, string token, string unavailableCode)
    {
        using var client = payments.Cluster.CreateClient(token);
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync($"/api/orders/{orderNo}/payments/wechat-jsapi", null);
        var elapsed = clock.Elapsed;
        output.WriteLine($"prepay {orderNo}: {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms, Retry-After {response.Headers.RetryAfter}");
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable, unavailableCode);
        }

        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
        return (response.StatusCode, elapsed, retryAfter);
    }

    private async Task ArmAsync(object fault)
    {
        var (status, code) = await payments.Controls.PostAsync("/simulator/faults", fault);
        Assert.True(status == HttpStatusCode.NoContent, $"{status} {code}");
    }

    private async Task DisarmAsync()
    {
        using var http = new HttpClient { BaseAddress = payments.SimulatorUrl };
        using var response = await http.DeleteAsync("/simulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
