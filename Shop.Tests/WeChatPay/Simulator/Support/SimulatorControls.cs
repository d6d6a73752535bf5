using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Tests.Infrastructure;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Notifications;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>The simulator's /simulator test controls over plain HTTP (snake_case JSON, no signatures).</summary>
internal sealed class SimulatorControls(Uri simulator) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http = new() { BaseAddress = simulator };

    public async Task<Transaction> PayAsync(PayCommand command)
    {
        using var response = await _http.PostAsJsonAsync("/simulator/pay", command, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Transaction>(WeChatPayJson.Options))!;
    }

    /// <summary>Any control call; returns the status and the problem <c>code</c> (if any).</summary>
    public async Task<(HttpStatusCode Status, string? Code)> PostAsync(string path, object? command = null)
    {
        using var response = await _http.PostAsJsonAsync(path, command ?? new { }, Json);
        var text = await response.Content.ReadAsStringAsync();
        var code = text.Length > 0 && JsonDocument.Parse(text).RootElement is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("code", out var c) ? c.GetString() : null;
        return (response.StatusCode, code);
    }

    public Task<(HttpStatusCode Status, string? Code)> ArmAsync(string outTradeNo, string control, object command) =>
        PostAsync($"/simulator/orders/{Uri.EscapeDataString(outTradeNo)}/notifications/{control}", command);

    public async Task<Refund> SettleRefundAsync(string outRefundNo, string outcome)
    {
        using var response = await _http.PostAsync($"/simulator/refunds/{Uri.EscapeDataString(outRefundNo)}/{outcome}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Refund>(WeChatPayJson.Options))!;
    }

    public async Task<OrderNotificationsView> NotificationsAsync(string outTradeNo) =>
        (await _http.GetFromJsonAsync<OrderNotificationsView>($"/simulator/orders/{Uri.EscapeDataString(outTradeNo)}/notifications", Json))!;

    /// <summary>Polls the delivery log until every notification of the order has finished (delivered or abandoned).</summary>
    public Task<OrderNotificationsView> WaitUntilSettledAsync(string outTradeNo, int notifications = 1) =>
        Poll.UntilAsync(() => NotificationsAsync(outTradeNo),
            v => v.Notifications.Count >= notifications && v.Notifications.All(n => n.State is DeliveryState.Delivered or DeliveryState.Abandoned),
            what: $"deliveries of {outTradeNo} to finish");

    public static string NewOrderNo(string prefix) => prefix + "-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(16);

    public void Dispose() => _http.Dispose();
}
