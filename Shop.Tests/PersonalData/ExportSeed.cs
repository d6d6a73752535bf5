using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Grains.AfterSales;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.PersonalData;

/// <summary>
/// Stored orders of one customer written straight into the orders table, encrypted with the silo's own key, exactly
/// as order grains store them: hundreds in a second, so an export can be tested at a size that would take minutes
/// to order through the API.
/// </summary>
internal static class ExportSeed
{
    public static ShippingAddress Address(string tag) =>
        new("顾客" + tag, "139" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999), "浙江省", "杭州市", "西湖区", $"文三路 {tag} 号");

    public static string NewOrderNo() => "9" + string.Concat(Enumerable.Range(0, 27).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    /// <summary>Paid and shipped orders (every tenth from campaign "cp-export"), one second apart, oldest first.</summary>
    public static async Task<IReadOnlyList<(string OrderNo, ShippingAddress Address)>> OrdersAsync(ShopTestCluster cluster, string userId, int count)
    {
        var protector = cluster.Silos[0].App.Services.GetRequiredService<PersonalDataProtector>();
        var store = new PostgresOrderStore(NpgsqlDataSource.Create(cluster.ConnectionString!));
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var orders = Enumerable.Range(0, count).Select(i => (OrderNo: NewOrderNo(), Address: Address(i.ToString("D4")))).ToList();
        var inserted = await Task.WhenAll(orders.Select((o, i) => store.InsertAsync(OrderStateJson.ToRow(Order(protector, userId, o.OrderNo, o.Address, start.AddSeconds(i), i)), default)));
        Assert.All(inserted, Assert.True);
        return orders;
    }

    /// <summary>A rejected order as an earlier version stored it (the row was written while reserving, then marked Rejected).</summary>
    public static async Task<(string OrderNo, ShippingAddress Address)> RejectedOrderAsync(ShopTestCluster cluster, string userId)
    {
        var protector = cluster.Silos[0].App.Services.GetRequiredService<PersonalDataProtector>();
        await using var source = NpgsqlDataSource.Create(cluster.ConnectionString!);
        var store = new PostgresOrderStore(source);
        var (orderNo, address, at) = (NewOrderNo(), Address("rejected"), DateTimeOffset.UtcNow.AddDays(-1));
        var order = Order(protector, userId, orderNo, address, at, 1) with
        {
            Phase = OrderPhase.Rejected,
            Stock = StockPhase.Released,
            RejectedAs = OrderOutcomeStatus.OutOfStock,
            Progress = OrderProgress.New,
            Payments = [],
            Fulfilment = null,
            UpdatedAt = at,
        };
        Assert.True(await store.InsertAsync(OrderStateJson.ToRow(order), default));
        return (orderNo, address);
    }

    internal static OrderState Order(PersonalDataProtector protector, string userId, string orderNo, ShippingAddress address, DateTimeOffset at, int i)
    {
        var sku = "p_export_" + (i % 3);
        Assert.True(OrderProgress.New.TryApply(OrderTrigger.Pay, at.AddMinutes(1), "wechatpay", "transaction 42" + i, out var paid));
        Assert.True(paid.TryApply(OrderTrigger.Ship, at.AddHours(1), "admin:a1", null, out var shipped));
        return new OrderState
        {
            OrderNo = orderNo,
            UserId = userId,
            Phase = OrderPhase.Active,
            Lines = [new OrderLine(sku, "Longjing 250 g", 1_280, 2, sku, null, i % 10 == 0 ? "cp-export" : null)],
            Holds = [new StockHold(sku, 2, orderNo)],
            Stock = StockPhase.Sold,
            TotalFen = 2_560,
            Shipping = protector.Protect(address, orderNo),
            ProtectedRemark = protector.ProtectRemark("call " + address.Phone, orderNo),
            CreatedAt = at,
            ExpiresAt = at.AddMinutes(15),
            UpdatedAt = at.AddHours(1),
            Progress = shipped,
            Payments = [new PaymentRecord("42000" + orderNo[^20..], 2_560, at.AddMinutes(1), false)],
            Fulfilment = new OrderFulfilment(LogisticsType.Express, [new Parcel(1, "SF", "SF" + orderNo[^12..], [new ParcelLine(sku, 2)])],
                at.AddHours(1), null, null, false),
        };
    }

    /// <summary>An after-sales request of the customer's order, stored as its grain stores it.</summary>
    public static async Task<AfterSalesRequest> AfterSalesAsync(ShopTestCluster cluster, string userId, string orderNo)
    {
        var now = DateTimeOffset.UtcNow;
        var request = new AfterSalesRequest(AfterSalesRequest.NewId(), orderNo, userId, AfterSalesKind.RefundOnly, AfterSalesStatus.Requested,
            [new AfterSalesLine(1, "p_export_0", "Longjing 250 g", 1, 1_280, 1_280)], 1_280, "broken tin", "the lid was dented", [],
            now, now, now.AddDays(2), [new AfterSalesHistoryEntry(now, "customer:" + userId, AfterSalesTrigger.Open, null, AfterSalesStatus.Requested, "broken tin")]);
        await cluster.Silos[0].App.Services.GetRequiredService<IAfterSalesStore>().SaveAsync(request, 0);
        return request;
    }
}
