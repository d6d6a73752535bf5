using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.MiniProgram;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>
/// The mini-program server API of shipping: <c>POST /cgi-bin/stable_token</c>, <c>POST /wxa/sec/order/upload_shipping_info</c>,
/// <c>POST /wxa/sec/order/get_order</c> and <c>POST /cgi-bin/express/delivery/open_msg/get_delivery_list</c>, with
/// WeChat's errcodes (HTTP 200). Armed faults (<see cref="MiniProgramFaults"/>) hit every one of them.
/// </summary>
internal static class ShippingEndpoints
{
    public static WebApplication MapMiniProgramShipping(this WebApplication app)
    {
        app.MapPost("/cgi-bin/stable_token", StableToken);
        app.MapPost("/wxa/sec/order/upload_shipping_info", Upload);
        app.MapPost("/wxa/sec/order/get_order", GetOrder);
        app.MapPost("/cgi-bin/express/delivery/open_msg/get_delivery_list", GetDeliveryList);
        return app;
    }

    private static async Task<IResult> StableToken(HttpRequest request, AccessTokens tokens, MiniProgramFaults faults, MerchantRegistry merchants, IOptions<SimulatorOptions> options)
    {
        if (faults.Take(request) is { } fault)
        {
            return fault;
        }

        var body = await ReadAsync(request);
        var appId = Text(body?["appid"]);
        if (Text(body?["grant_type"]) != "client_credential")
        {
            return MiniProgramResults.Error(40002, "invalid grant_type");
        }

        if (string.IsNullOrEmpty(appId) || !(merchants.IsKnownAppId(appId) || options.Value.MiniProgramSecrets.ContainsKey(appId)))
        {
            return MiniProgramResults.Error(40013, "invalid appid");
        }

        var secret = Text(body?["secret"]);
        if (string.IsNullOrEmpty(secret) || (options.Value.MiniProgramSecrets.TryGetValue(appId, out var expected)
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(expected))))
        {
            return MiniProgramResults.Error(40125, "invalid appsecret");
        }

        var (token, expiresIn) = tokens.Get(appId, body?["force_refresh"]?.GetValueKind() == JsonValueKind.True);
        return Results.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
    }

    private static async Task<IResult> Upload(HttpRequest request, [FromQuery(Name = "access_token")] string? accessToken, AccessTokens tokens,
        MiniProgramFaults faults, ShippingDesk desk)
    {
        if (faults.Take(request) is { } fault)
        {
            return fault;
        }

        var (appId, tokenError) = tokens.Check(accessToken);
        if (appId is null)
        {
            return MiniProgramResults.Error(tokenError, MiniProgramResults.TokenMessage(tokenError));
        }

        if (await ReadAsync(request) is not { } body)
        {
            return MiniProgramResults.Error(10060014, "参数错误: the body is not a JSON object");
        }

        var (errcode, message) = desk.Upload(appId, body);
        return errcode == 0 ? MiniProgramResults.Ok() : MiniProgramResults.Error(errcode, message);
    }

    private static async Task<IResult> GetOrder(HttpRequest request, [FromQuery(Name = "access_token")] string? accessToken, AccessTokens tokens,
        MiniProgramFaults faults, ShippingDesk desk, SimulatorLedger ledger)
    {
        if (faults.Take(request) is { } fault)
        {
            return fault;
        }

        var (appId, tokenError) = tokens.Check(accessToken);
        if (appId is null)
        {
            return MiniProgramResults.Error(tokenError, MiniProgramResults.TokenMessage(tokenError));
        }

        var body = await ReadAsync(request);
        var key = new OrderKey(Text(body?["merchant_id"]) ?? "", Text(body?["merchant_trade_no"]) ?? "");
        SimOrder? order;
        lock (ledger.Gate)
        {
            order = ledger.Order(key);
        }

        if (order is null || order.AppId != appId || order.TransactionId is null)
        {
            return MiniProgramResults.Error(10060001, "支付单不存在");
        }

        var record = desk.Find(key);
        var shipping = record is null ? null : new JsonObject
        {
            ["delivery_mode"] = record.DeliveryMode,
            ["logistics_type"] = record.LogisticsType,
            ["finish_shipping"] = record.Finished,
            ["finish_shipping_count"] = record.FinishCount,
            ["shipping_list"] = new JsonArray([.. record.ShippingList.Select(e => (JsonNode)new JsonObject
            {
                ["tracking_no"] = e?["tracking_no"]?.DeepClone(),
                ["express_company"] = e?["express_company"]?.DeepClone(),
                ["goods_desc"] = e?["item_desc"]?.DeepClone(),
                ["upload_time"] = record.UploadTime.ToUnixTimeSeconds(),
                ["contact"] = e?["contact"]?.DeepClone(),
            })]),
        };
        // order_state: 1 待发货, 2 已发货 (what the simulator can know: it never sees the receipt confirmed).
        return MiniProgramResults.Ok(new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["transaction_id"] = order.TransactionId,
                ["merchant_id"] = order.MchId,
                ["merchant_trade_no"] = order.OutTradeNo,
                ["openid"] = order.PayerOpenId,
                ["paid_amount"] = order.PaidTotal,
                ["order_state"] = record is { Finished: true } ? 2 : 1,
                ["shipping"] = shipping,
            },
        });
    }

    private static IResult GetDeliveryList(HttpRequest request, [FromQuery(Name = "access_token")] string? accessToken, AccessTokens tokens, MiniProgramFaults faults,
        DeliveryList couriers)
    {
        if (faults.Take(request) is { } fault)
        {
            return fault;
        }

        var (appId, tokenError) = tokens.Check(accessToken);
        if (appId is null)
        {
            return MiniProgramResults.Error(tokenError, MiniProgramResults.TokenMessage(tokenError));
        }

        var companies = couriers.Current.All;
        return MiniProgramResults.Ok(new JsonObject
        {
            ["delivery_list"] = JsonSerializer.SerializeToNode(companies),
            ["count"] = companies.Count,
        });
    }

    private static async Task<JsonObject?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
