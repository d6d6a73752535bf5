using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shop.WeChatPay.Crypto;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>The few WeChat Pay endpoints Shop uses, with WeChat Pay's idempotency rules.</summary>
internal sealed partial class WeChatPaySimulator
{
    private const string OrderPrefix = "/v3/pay/transactions/out-trade-no/";
    private const string RefundPrefix = "/v3/refund/domestic/refunds/";

    private readonly ConcurrentDictionary<string, (string Body, JsonNode Order, string State)> _orders = new();
    private readonly ConcurrentDictionary<string, JsonObject> _refunds = new();

    private (int Status, string? Json) Route(string method, string path, byte[] body)
    {
        path = Uri.UnescapeDataString(path);
        return (method, path) switch
        {
            ("POST", "/v3/pay/transactions/jsapi") => Prepay(Encoding.UTF8.GetString(body)),
            ("POST", _) when path.StartsWith(OrderPrefix, StringComparison.Ordinal) && path.EndsWith("/close", StringComparison.Ordinal) =>
                Close(path[OrderPrefix.Length..^"/close".Length]),
            ("GET", _) when path.StartsWith(OrderPrefix, StringComparison.Ordinal) => Query(path[OrderPrefix.Length..]),
            ("POST", "/v3/refund/domestic/refunds") => CreateRefund(JsonNode.Parse(body)!.AsObject()),
            ("GET", _) when path.StartsWith(RefundPrefix, StringComparison.Ordinal) => _refunds.TryGetValue(path[RefundPrefix.Length..], out var r)
                ? (200, r.ToJsonString())
                : Error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"),
            ("GET", "/v3/certificates") => Certificates(),
            _ => Error(404, "NOT_FOUND", "no such endpoint in the simulator"),
        };
    }

    private (int, string?) Prepay(string body)
    {
        var order = JsonNode.Parse(body)!;
        var outTradeNo = order["out_trade_no"]!.GetValue<string>();
        var stored = _orders.GetOrAdd(outTradeNo, _ => (body, order, "NOTPAY"));
        return stored.Body == body
            ? (200, new JsonObject { ["prepay_id"] = "wx" + Convert.ToHexString(Encoding.UTF8.GetBytes(outTradeNo)) }.ToJsonString())
            : Error(403, "OUT_TRADE_NO_USED", "商户订单号重复");
    }

    private (int, string?) Query(string outTradeNo)
    {
        if (!_orders.TryGetValue(outTradeNo, out var o))
        {
            return Error(404, "ORDER_NOT_EXIST", "订单不存在");
        }

        return (200, new JsonObject
        {
            ["appid"] = o.Order["appid"]!.GetValue<string>(),
            ["mchid"] = o.Order["mchid"]!.GetValue<string>(),
            ["out_trade_no"] = outTradeNo,
            ["trade_state"] = o.State,
            ["trade_state_desc"] = o.State == "CLOSED" ? "订单已关闭" : "订单未支付",
            ["amount"] = new JsonObject { ["total"] = o.Order["amount"]!["total"]!.GetValue<long>(), ["currency"] = "CNY" },
            ["some_future_field"] = "ignored",
        }.ToJsonString());
    }

    private (int, string?) Close(string outTradeNo)
    {
        if (!_orders.TryGetValue(outTradeNo, out var o))
        {
            return Error(404, "ORDER_NOT_EXIST", "订单不存在");
        }

        _orders[outTradeNo] = o with { State = "CLOSED" };
        return (204, null);
    }

    private (int, string?) CreateRefund(JsonObject request)
    {
        var outRefundNo = request["out_refund_no"]!.GetValue<string>();
        var refund = _refunds.GetOrAdd(outRefundNo, _ => new JsonObject
        {
            ["refund_id"] = "50300" + _refunds.Count.ToString("D21"),
            ["out_refund_no"] = outRefundNo,
            ["transaction_id"] = "4200002025060112345678901234",
            ["out_trade_no"] = request["out_trade_no"]?.GetValue<string>(),
            ["channel"] = "ORIGINAL",
            ["user_received_account"] = "支付用户零钱",
            ["create_time"] = "2025-06-01T09:00:00+08:00",
            ["status"] = "PROCESSING",
            ["amount"] = new JsonObject
            {
                ["total"] = request["amount"]!["total"]!.GetValue<long>(),
                ["refund"] = request["amount"]!["refund"]!.GetValue<long>(),
                ["payer_total"] = request["amount"]!["total"]!.GetValue<long>(),
                ["payer_refund"] = request["amount"]!["refund"]!.GetValue<long>(),
                ["currency"] = "CNY",
            },
        });
        return (200, refund.ToJsonString());
    }

    private (int, string?) Certificates()
    {
        Interlocked.Increment(ref _certificateDownloads);
        var cipher = new ApiV3Cipher(WeChatPayVectors.ApiV3Key);
        const string nonce = "c3Rm9xK2pL0v";
        return (200, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["serial_no"] = WeChatPayVectors.PlatformSerial,
                ["effective_time"] = "2026-11-27T12:50:13+08:00",
                ["expire_time"] = "2036-11-24T12:50:13+08:00",
                ["encrypt_certificate"] = new JsonObject
                {
                    ["algorithm"] = "AEAD_AES_256_GCM",
                    ["nonce"] = nonce,
                    ["associated_data"] = "certificate",
                    ["ciphertext"] = cipher.Encrypt(WeChatPayVectors.Pem("keys/platform_cert.pem"), nonce, "certificate"),
                },
            }),
        }.ToJsonString());
    }

    private static (int, string?) Error(int status, string code, string message) =>
        (status, JsonSerializer.Serialize(new { code, message }));
}
