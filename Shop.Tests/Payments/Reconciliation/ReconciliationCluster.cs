using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Shop.Client.Orders;
using Shop.Client.Reconciliation;
using Shop.Tests.Infrastructure;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Simulator.Bills;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>
/// Payments against the simulator with the per-order reconciliation query far away (so a lost notification stays lost
/// until the bills are reconciled), a failed bill run retried after 2 s, bills not made yet waited for 10 s at most (room
/// for a loaded machine between a re-run and the bills being made), and the scheduler checking for missed or failed
/// dates every 2 s. Its own simulator: the bills hold exactly what the tests of this collection did.
/// </summary>
public sealed class ReconciliationCluster : PaymentsCluster
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
        ["Reconciliation:RetryEvery"] = "00:00:02",
        ["Reconciliation:BillWaitLimit"] = "00:00:10",
        ["Reconciliation:CheckEvery"] = "00:00:02",
    };

    public IReconciliationApi Admin => ReconciliationApiClient.Create(Cluster.CreateClient(TestTokens.Admin("finance-1")));

    public async Task<T> BillControlAsync<T>(string control, object command)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var response = await http.PostAsJsonAsync("/simulator/bills/" + control, command, SimulatorControls.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(SimulatorControls.Json))!;
    }

    public async Task BillControlAsync(string control, object command)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var response = await http.PostAsJsonAsync("/simulator/bills/" + control, command, SimulatorControls.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Marks the refund SUCCESS here by a genuine-looking REFUND.SUCCESS notification, while WeChat Pay (the simulator)
    /// still has it PROCESSING: so its bill will not list it.
    /// </summary>
    public async Task RefundOnlyHereAsync(string orderNo, string outRefundNo, long refund, long total)
    {
        var resource = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mchid"] = Merchant.MchId,
            ["out_trade_no"] = orderNo,
            ["transaction_id"] = "42000" + RandomNumberGenerator.GetString("0123456789", 23),
            ["out_refund_no"] = outRefundNo,
            ["refund_id"] = "50300" + RandomNumberGenerator.GetString("0123456789", 24),
            ["refund_status"] = "SUCCESS",
            ["success_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            ["user_received_account"] = "支付用户零钱",
            ["amount"] = new Dictionary<string, long> { ["total"] = total, ["refund"] = refund, ["payer_total"] = total, ["payer_refund"] = refund },
        });
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = "REFUND.SUCCESS",
            ["summary"] = "退款成功",
            ["resource"] = new Dictionary<string, string>
            {
                ["original_type"] = "refund",
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = new ApiV3Cipher(Merchant.ApiV3Key).Encrypt(resource, nonce, "refund"),
                ["associated_data"] = "refund",
                ["nonce"] = nonce,
            },
        });
        var (status, answer) = await Cluster.PostNotificationAsync(CraftedNotification.Sign(body, await File.ReadAllTextAsync(PlatformPrivateKeyPath), PublicKeyId));
        Assert.True((int)status == 204, answer);
    }

    /// <summary>Every refund WeChat Pay (the simulator) holds for the order.</summary>
    public async Task<List<Shop.WeChatPay.Api.Refund>> SimulatorRefundsAsync(string outTradeNo)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        return (await http.GetFromJsonAsync<List<Shop.WeChatPay.Api.Refund>>($"/simulator/orders/{outTradeNo}/refunds", SimulatorControls.Json))!;
    }

    public async Task TamperNextDownloadAsync()
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var response = await http.PostAsJsonAsync("/simulator/bills/tamper", new TamperCommand(1), SimulatorControls.Json);
        Assert.True(response.IsSuccessStatusCode);
    }

    /// <summary>A signed-in WeChat customer's order of 2 × 19.99 (3998 fen), prepaid; paid at the simulator unless <paramref name="pay"/> is false.</summary>
    public async Task<(string Token, OrderResponse Order)> OrderAsync(string name, bool pay = true, bool loseNotifications = false)
    {
        var token = await LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var (order, _) = await Cluster.OrderAsync(token, quantity: 2, price: 1_999);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        if (loseNotifications)
        {
            await Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });
        }

        if (pay)
        {
            await Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        }

        return (token, order);
    }

    /// <summary>Marks the order paid here by a genuine-looking notification of a payment the simulator never saw.</summary>
    public async Task PayOnlyHereAsync(OrderResponse order)
    {
        var resource = CraftedNotification.TransactionJson(Merchant.MchId, Merchant.AppId, order.OrderNo, "42000" + RandomNumberGenerator.GetString("0123456789", 23), order.TotalFen);
        var body = CraftedNotification.Envelope(Merchant.ApiV3Key, resource);
        var (status, answer) = await Cluster.PostNotificationAsync(CraftedNotification.Sign(body, await File.ReadAllTextAsync(PlatformPrivateKeyPath), PublicKeyId));
        Assert.True((int)status == 204, answer);
    }

    /// <summary>Starts a run of the date (a request that comes while the previous attempt is finishing is answered with it: asked again).</summary>
    public Task<BillRunResponse> StartRunAsync(string billDate) =>
        Poll.UntilAsync(async () => (await Admin.RunBillDateAsync(billDate)).Content!, r => r is { Status: "running" }, TimeSpan.FromSeconds(30),
            $"a new run of {billDate} to start");

    public Task<BillRunResponse> WaitForRunAsync(string billDate, Func<BillRunResponse, bool> done) =>
        Poll.UntilAsync(async () => (await Admin.GetBillRunAsync(billDate)).Content!, r => r is not null && done(r), TimeSpan.FromSeconds(60),
            $"the bill run of {billDate}");

    public async Task<List<DifferenceResponse>> DifferencesAsync(string billDate)
    {
        var response = await Admin.ListDifferencesAsync(billDate: billDate, limit: 500);
        Assert.True(response.IsSuccessStatusCode, (response.Error as Refit.ApiException)?.Content);
        return [.. response.Content!.Items];
    }
}

[CollectionDefinition(Name)]
public sealed class ReconciliationCollection : ICollectionFixture<ReconciliationCluster>
{
    public const string Name = "reconciliation";
}
