using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Client.AfterSales;
using Shop.Client.Cart;
using Shop.Client.Orders;
using Shop.Client.PersonalData;
using Shop.Client.Reconciliation;
using Shop.Grains.AfterSales;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Inventory;
using Shop.Grains.Orders;
using Shop.Grains.PersonalData.Erasure;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Simulator.Bills;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.PersonalData;

/// <summary>
/// The real silo and API on PostgreSQL with the WeChat Pay simulator; the personal-data and due-order sweeps run every
/// second. Orders and after-sales share <see cref="Clock"/>, which tests only move forward and by days (WeChat Pay takes
/// payment deadlines at most 90 days ahead of its own clock); retention reads <see cref="PrivacyClock"/>, moved by years.
/// </summary>
public sealed class ErasureCluster : PaymentsCluster
{
    public ShiftedClock Clock { get; } = new();

    public ShiftedClock PrivacyClock { get; } = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
        ["Orders:DueSweepInterval"] = "00:00:01",
        ["Orders:ReminderPeriod"] = "00:00:02",
        ["Privacy:ReminderPeriod"] = "00:00:02",
        ["AfterSales:DueSweepInterval"] = "00:00:01",
        ["Privacy:SweepInterval"] = "00:00:01",
        ["Privacy:ErasureRecheckInterval"] = "00:00:02",
        // Retention pages of one order: an order that must wait is a whole page, and those behind it must still be reached.
        ["Privacy:RetentionBatchSize"] = "1",
    };

    protected override void ConfigureHostServices(IServiceCollection services)
    {
        services.AddKeyedSingleton<TimeProvider>(OrdersRegistration.ClockKey, Clock);
        services.AddKeyedSingleton<TimeProvider>(AfterSalesRegistration.ClockKey, Clock);
        services.AddKeyedSingleton<TimeProvider>(PrivacyRegistration.ClockKey, PrivacyClock);

        // A stock snapshot every few events (not every thousand), so the erasure's scrub of inventory_snapshot runs and
        // a snapshot written after an erasure shows what the SKU's memory still holds.
        services.Configure<InventoryOptions>(o => o.SnapshotMinEvents = 1);
    }

    public IErasureApi Erasure(string token) => ErasureApiClient.Create(Cluster.CreateClient(token));

    public IErasureApi AdminErasure => ErasureApiClient.Create(Cluster.CreateClient(TestTokens.Admin("privacy-admin")));

    /// <summary>A WeChat customer with personal data of their own (ASCII: found in JSON and bytes alike), and their user id.</summary>
    public async Task<Customer> CustomerAsync(string name)
    {
        var token = await LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var sub = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))).RootElement.GetProperty("sub").GetString()!;
        var unique = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var phone = "139" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999);
        return new Customer(token, sub, new ShippingAddressRequest($"Erasure {name} {unique}", phone, "浙江省", "杭州市", "西湖区", $"No. {unique} Wensan Road"));
    }

    public async Task<OrderResponse> OrderAsync(Customer customer, string sku, bool pay, string? campaignId = null)
    {
        var order = await Cluster.Orders(customer.Token).CreateAsync(new CreateOrderRequest([new OrderItemRequest(sku, 1, CampaignId: campaignId)],
            customer.Address, "call " + customer.Address.Phone));
        if (!pay)
        {
            return order;
        }

        var payment = await Cluster.PrepayAsync(customer.Token, order.OrderNo);
        await Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(customer.Token, order.OrderNo, OrderStatuses.Paid);
        await Controls.WaitUntilSettledAsync(order.OrderNo);
        return paid;
    }

    /// <summary>Paid, shipped and received: Completed.</summary>
    public async Task<OrderResponse> CompletedOrderAsync(Customer customer, string sku, string? campaignId = null)
    {
        var order = await OrderAsync(customer, sku, pay: true, campaignId);
        OrderTestSupport.Ok(await Cluster.Orders(TestTokens.Admin()).ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF1234567890")));
        return OrderTestSupport.Ok(await Cluster.Orders(customer.Token).ConfirmReceiptAsync(order.OrderNo));
    }

    public ICartApi Cart(string token) => CartApiClient.Create(Cluster.CreateClient(token));

    public IAfterSalesApi AfterSales(string token) => AfterSalesApiClient.Create(Cluster.CreateClient(token));

    public Task<ErasureResponse> WaitForErasureAsync(IErasureApi api, string? userId = null) =>
        Poll.UntilAsync(async () => OrderTestSupport.Ok(userId is null ? await api.GetAsync() : await api.GetForAsync(userId)),
            e => e.Status == ErasureStatuses.Completed, TimeSpan.FromSeconds(30), "the erasure to complete");

    /// <summary>Every table and column of the shop's schema (text, JSON and bytes, rows cast to text) that holds any of <paramref name="values"/>.</summary>
    public async Task<List<string>> FindInDatabaseAsync(params string[] values)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = current_schema()
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.Contains(columns, c => c.Table == "orders");
        var found = new List<string>();
        foreach (var (table, column, type) in columns)
        {
            foreach (var value in values)
            {
                var test = type == "bytea"
                    ? $"position(convert_to(@v, 'UTF8') in \"{column}\") > 0"
                    : $"strpos(\"{column}\"::text, @v) > 0";
                await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE {test}", connection);
                command.Parameters.AddWithValue("v", value);
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    found.Add($"{table}.{column}: {value}");
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The order's personal data as stored: the ciphertexts of the shipping details and remark, and its Idempotency-Key
    /// records' answers. Searching for these (not the plaintext, which is never stored) proves the stored copies went.
    /// </summary>
    public async Task<List<string>> StoredPersonalDataAsync(string orderNo)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT value FROM orders, jsonb_each_text(state->'shipping') WHERE order_no = $1 AND key IN ('name', 'phone', 'detail')
            UNION ALL SELECT state->>'protectedRemark' FROM orders WHERE order_no = $1
            UNION ALL SELECT outcome FROM order_idempotency WHERE order_no = $1
            UNION ALL SELECT body FROM order_idempotency WHERE order_no = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderNo });
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0) && reader.GetString(0).Length > 0)
            {
                found.Add(reader.GetString(0));
            }
        }

        return found;
    }

    /// <summary>
    /// Restocks the SKU one unit at a time until a snapshot newer than every stored batch so far is written: a snapshot
    /// is taken from the grain's memory, so it shows what the memory holds now. Unkeyed adjustments (the grain's own
    /// method; the admin route always keys them): a key adds to the state's size, and a snapshot waits for as many
    /// events as the state is large.
    /// </summary>
    public async Task ForceStockSnapshotAsync(string sku)
    {
        const string LogVersion = "SELECT coalesce(max(version), 0) FROM inventory_log WHERE sku = $1";
        const string SnapshotVersion = "SELECT coalesce(max(version), 0) FROM inventory_snapshot WHERE sku = $1";
        var before = await ScalarAsync<long>(LogVersion, sku);
        var stock = Cluster.Grains.GetGrain<IInventoryGrain>(sku);
        await Poll.UntilAsync(async () =>
        {
            await stock.AdjustAsync(1, "snapshot after erasure", "admin:privacy-admin");
            return await ScalarAsync<long>(SnapshotVersion, sku);
        }, version => version > before, TimeSpan.FromSeconds(30), "a stock snapshot after the erasure");
    }

    /// <summary>The Beijing day (a WeChat bill date) of now.</summary>
    public static string BillDateNow() =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Has the simulator make the days' bills and reconciles them through the admin API, so their rows (with the payers'
    /// openids, WeChat's 用户标识) are stored in reconciliation_bill_rows as in production.
    /// </summary>
    public async Task ReconcileAsync(params string[] billDates)
    {
        var admin = ReconciliationApiClient.Create(Cluster.CreateClient(TestTokens.Admin("finance-1")));
        using var simulator = new HttpClient { BaseAddress = SimulatorUrl };
        foreach (var billDate in billDates.Distinct())
        {
            using (var made = await simulator.PostAsJsonAsync("/simulator/bills/make", new MakeBillsCommand(billDate), SimulatorControls.Json))
            {
                Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
            }

            await Poll.UntilAsync(async () => (await admin.RunBillDateAsync(billDate)).Content, r => r is { Status: "running" },
                TimeSpan.FromSeconds(30), $"a run of {billDate} to start");
            await Poll.UntilAsync(async () => (await admin.GetBillRunAsync(billDate)).Content, r => r is { Status: "completed" },
                TimeSpan.FromSeconds(60), $"the run of {billDate} to complete");
        }
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync() is T result ? result : default;
    }
}

/// <summary>The real clock plus an offset the tests move forward: time still flows (requests get distinct times), deadlines come at once.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public sealed record Customer(string Token, string UserId, ShippingAddressRequest Address)
{
    public string OpenId => UserId["wx:".Length..];
}

[CollectionDefinition(Name)]
public sealed class ErasureCollection : ICollectionFixture<ErasureCluster>
{
    public const string Name = "erasure";
}
