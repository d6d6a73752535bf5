using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Client.Payments;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Cluster;

/// <summary>An order the API answered 201: who placed it, with which token, and its lines.</summary>
public sealed record PlacedOrder(string OrderNo, string Token, IReadOnlyList<(string ProductId, int Quantity)> Lines);

/// <summary>
/// A flash sale over HTTP: concurrent customers (each a WeChat-signed-in shopper with a token of their own) order one
/// or two of a few SKUs, half of the orders are paid through the WeChat Pay simulator, the rest are left to time out.
/// A request that fails (a 5xx, a timeout, a dropped connection) is sent once more with the same Idempotency-Key.
/// Every answer is counted in the second it arrived, so a disruption shows as failures and as lost throughput.
/// </summary>
public sealed class FlashSale(ProcessCluster cluster, IReadOnlyList<string> skus, int customers) : IDisposable
{
    private const int MaxSeconds = 600;
    private static readonly JsonSerializerOptions Json = ShopJson.CreateOptions();

    private readonly Stopwatch _clock = new();
    private readonly int[] _served = new int[MaxSeconds];
    private readonly int[] _failed = new int[MaxSeconds];
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<(TimeSpan Started, TimeSpan Ended, bool Served)> _spanning = new();
    private TimeSpan? _watch;
    private readonly SocketsHttpHandler _handler = new() { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    private int _retried;
    private int _retriedInVain;

    public ConcurrentBag<PlacedOrder> Created { get; } = [];

    /// <summary>Orders the simulator answered SUCCESS for, by order number, with the transaction id.</summary>
    public ConcurrentDictionary<string, string> PaidAtSimulator { get; } = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Requests that needed the second attempt, and those whose second attempt failed too.</summary>
    public (int Retried, int RetriedInVain) Retries => (_retried, _retriedInVain);

    public int FailedBetween(TimeSpan from, TimeSpan to) => Sum(_failed, from, to);

    public int ServedBetween(TimeSpan from, TimeSpan to) => Sum(_served, from, to);

    /// <summary>From now on, remembers the requests that were under way at this moment (see <see cref="InFlightAt"/>).</summary>
    public TimeSpan Watch() => (_watch = Elapsed).Value;

    /// <summary>
    /// The requests sent at least <paramref name="margin"/> before the watched moment (so surely received by then) and
    /// answered after it: how many, and how many of them failed.
    /// </summary>
    public (int InFlight, int Failed) InFlightAt(TimeSpan margin)
    {
        var sure = _spanning.Where(r => r.Started <= _watch!.Value - margin).ToList();
        return (sure.Count, sure.Count(r => !r.Served));
    }

    /// <summary>What every failed attempt was doing: <c>create</c> or <c>prepay</c>.</summary>
    public IReadOnlyList<string> FailedOperations => [.. _failures.Select(f => f.Split(' ')[1])];

    /// <summary>The HTTP status (or exception type) of every failed attempt.</summary>
    public IReadOnlyList<string> FailureStatuses => [.. _failures.Select(Kind)];

    private static string Kind(string failure) => failure.Split(':')[1].Trim().Split(' ')[0];

    /// <summary>How many failed of each kind, and the first few in full.</summary>
    public void PrintFailures(Xunit.Abstractions.ITestOutputHelper output)
    {
        foreach (var kind in _failures.GroupBy(f => f.Split(' ')[1] + " " + Kind(f)))
        {
            output.WriteLine($"  {kind.Count()} x {kind.Key}");
        }

        foreach (var failure in _failures.Take(10))
        {
            output.WriteLine("  " + failure);
        }
    }

    /// <summary>Runs until <paramref name="stop"/>; requests under way then are finished, not cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        await Task.WhenAll(Enumerable.Range(0, customers).Select(n => Task.Run(() => CustomerAsync(n, stop))));
    }

    /// <summary>Waits for a moment of the sale's timeline (a disruption is scheduled, not a state awaited).</summary>
    public Task At(TimeSpan moment) => moment > Elapsed ? Task.Delay(moment - Elapsed) : Task.CompletedTask;

    /// <summary>
    /// Lets the sale run until <paramref name="seen"/> holds (what the test must have observed, e.g. throughput back after
    /// a disruption), but no longer than until <paramref name="latest"/>: the assertions afterwards say what was missing.
    /// </summary>
    public async Task UntilAsync(Func<bool> seen, TimeSpan latest)
    {
        while (!seen() && Elapsed < latest)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>
    /// Seconds from <paramref name="disruption"/> until throughput was back: the first second from which three in a row
    /// each served at least half the median per second before it (from second 3, warm). Null if never within the sale.
    /// </summary>
    public (double Baseline, double? Seconds) Recovery(TimeSpan disruption, TimeSpan end)
    {
        var from = (int)disruption.TotalSeconds;
        var baseline = _served[3..from].Order().ElementAt((from - 3) / 2);
        for (var s = from; s + 2 < (int)end.TotalSeconds; s++)
        {
            if (_served[s] >= baseline / 2.0 && _served[s + 1] >= baseline / 2.0 && _served[s + 2] >= baseline / 2.0)
            {
                return (baseline, s + 1 - disruption.TotalSeconds);
            }
        }

        return (baseline, null);
    }

    public string Timeline(TimeSpan end) =>
        string.Join(" ", Enumerable.Range(0, (int)Math.Ceiling(end.TotalSeconds)).Select(s => _failed[s] > 0 ? $"{_served[s]}/{_failed[s]}!" : $"{_served[s]}"));

    private async Task CustomerAsync(int n, CancellationToken stop)
    {
        var token = TestTokens.Customer($"wx:oFailover{n:D3}{Guid.NewGuid():N}"[..28]);
        using var http = cluster.CreateClient(token, _handler);
        http.Timeout = TimeSpan.FromSeconds(20);
        using var simulator = new HttpClient(_handler, disposeHandler: false) { BaseAddress = cluster.Merchant.Address, Timeout = TimeSpan.FromSeconds(20) };
        var random = new Random(n);
        while (!stop.IsCancellationRequested)
        {
            var lines = new List<(string ProductId, int Quantity)> { (skus[random.Next(skus.Count)], random.Next(1, 3)) };
            if (random.Next(4) == 0 && skus.FirstOrDefault(s => s != lines[0].ProductId) is { } other)
            {
                lines.Add((other, 1));
            }

            var key = Guid.NewGuid().ToString();
            var created = await TwiceAsync("create", () => CreateAsync(http, lines, key));
            if (created is not { } orderNo)
            {
                continue;
            }

            Created.Add(new PlacedOrder(orderNo, token, lines));
            if (random.Next(2) == 0 && await TwiceAsync("prepay", () => PrepayAsync(http, orderNo)) is { } prepayId)
            {
                await PayAsync(simulator, orderNo, prepayId);
            }
        }
    }

    /// <summary>One attempt, and the same request once more if it failed; null when nothing usable came back.</summary>
    private async Task<string?> TwiceAsync(string what, Func<Task<(bool Served, string? Result, string? Failure)>> attempt)
    {
        for (var tries = 1; ; tries++)
        {
            var started = Elapsed;
            (bool Served, string? Result, string? Failure) outcome;
            try
            {
                outcome = await attempt();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                outcome = (false, null, ex.GetType().Name + ": " + ex.Message);
            }

            Count(outcome.Served ? _served : _failed);
            if (_watch is { } moment && started < moment && Elapsed >= moment)
            {
                _spanning.Enqueue((started, Elapsed, outcome.Served));
            }

            if (outcome.Served)
            {
                return outcome.Result;
            }

            _failures.Enqueue($"{Elapsed.TotalSeconds:N1}s {what} (try {tries}): {outcome.Failure}");
            if (tries == 2)
            {
                // A shopper whose retry failed too waits a moment before trying something else (no tight loop while down).
                Interlocked.Increment(ref _retriedInVain);
                await Task.Delay(250);
                return null;
            }

            Interlocked.Increment(ref _retried);
        }
    }

    private static async Task<(bool, string?, string?)> CreateAsync(HttpClient http, List<(string ProductId, int Quantity)> lines, string key)
    {
        var body = new CreateOrderRequest([.. lines.Select(l => new OrderItemRequest(l.ProductId, l.Quantity))],
            new ShippingAddressRequest("张三", "13812345678", "浙江省", "杭州市", "西湖区", "文三路 100 号"), null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", key);
        using var answer = await http.SendAsync(request);
        return answer.StatusCode switch
        {
            HttpStatusCode.Created => (true, (await answer.Content.ReadFromJsonAsync<OrderResponse>(Json))!.OrderNo, null),
            HttpStatusCode.Conflict => (true, null, null),
            _ => (false, null, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}"),
        };
    }

    private static async Task<(bool, string?, string?)> PrepayAsync(HttpClient http, string orderNo)
    {
        using var answer = await http.PostAsync($"/api/orders/{orderNo}/payments/wechat-jsapi", null);
        if (answer.IsSuccessStatusCode)
        {
            var prepay = (await answer.Content.ReadFromJsonAsync<WeChatJsapiPaymentResponse>(Json))!;
            return (true, prepay.Package["prepay_id=".Length..], null);
        }

        return (false, null, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>The shopper pays: the simulator records the transaction and notifies the API (retrying until it is taken).</summary>
    private async Task PayAsync(HttpClient simulator, string orderNo, string prepayId)
    {
        using var answer = await simulator.PostAsJsonAsync("/simulator/pay", new Dictionary<string, string> { ["prepay_id"] = prepayId });
        using var transaction = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        if (!answer.IsSuccessStatusCode || transaction.RootElement.GetProperty("trade_state").GetString() != "SUCCESS")
        {
            throw new InvalidOperationException($"the simulator did not take the payment of {orderNo}: {(int)answer.StatusCode} {transaction.RootElement}");
        }

        PaidAtSimulator[orderNo] = transaction.RootElement.GetProperty("transaction_id").GetString()!;
    }

    public void Dispose() => _handler.Dispose();

    private void Count(int[] perSecond) => Interlocked.Increment(ref perSecond[Math.Min(MaxSeconds - 1, (int)Elapsed.TotalSeconds)]);

    private static int Sum(int[] perSecond, TimeSpan from, TimeSpan to) =>
        perSecond[(int)from.TotalSeconds..Math.Min(MaxSeconds, (int)Math.Ceiling(to.TotalSeconds))].Sum();
}
