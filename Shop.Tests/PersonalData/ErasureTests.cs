using System.Net;
using Shop.Client.AfterSales;
using Shop.Client.Cart;
using Shop.Client.Orders;
using Shop.Client.PersonalData;
using Shop.Client.Shipping;
using Shop.Tests.Campaigns;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Shipping;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.PersonalData;

/// <summary>
/// Erasure end to end: HTTP → erasure, order, after-sales, cart and payment grains → PostgreSQL, searched whole
/// afterwards; windows that delay it, the sweep that finishes it (also after a restart), and retention.
/// </summary>
[Collection(ErasureCollection.Name)]
public sealed class ErasureTests(ErasureCluster erasure)
{
    private ShopTestCluster Cluster => erasure.Cluster;

    [Fact]
    public async Task Erasure_waits_for_the_after_sales_window_then_leaves_no_personal_data_in_any_table_and_keeps_the_accounting()
    {
        var other = await erasure.CustomerAsync("other");
        var customer = await erasure.CustomerAsync("erased");
        var sku = (await Cluster.ProductAsync(10, 2_500)).Id;
        var othersOrder = await erasure.OrderAsync(other, sku, pay: false);
        var firstDay = ErasureCluster.BillDateNow();
        var order = await erasure.CompletedOrderAsync(customer, sku);

        // The day's WeChat Pay bills, reconciled: their rows name the order and the payer's openid (用户标识).
        await erasure.ReconcileAsync(firstDay, ErasureCluster.BillDateNow());
        Assert.Contains(await erasure.FindInDatabaseAsync(customer.OpenId), f => f.StartsWith("reconciliation_bill_rows.", StringComparison.Ordinal));

        // An after-sales return with the customer's note, photo and return tracking number, finished (goods refused).
        var unique = Guid.NewGuid().ToString("N")[..10];
        var (note, photo, tracking) = ($"note {unique}", $"https://img.example.com/{unique}.jpg", $"SF{unique}");
        var opened = Ok(await erasure.AfterSales(customer.Token).OpenAsync(order.OrderNo, new CreateAfterSalesRequest(
            AfterSalesKinds.ReturnAndRefund, [new AfterSalesLineBody(1, 1)], "破损", note, [photo])), HttpStatusCode.Created);
        var admin = erasure.AfterSales(TestTokens.Admin());
        Ok(await admin.ApproveAsync(opened.RequestId, new AfterSalesDecisionRequest(null)));
        Ok(await erasure.AfterSales(customer.Token).SubmitReturnAsync(order.OrderNo, opened.RequestId, new SubmitReturnShipmentRequest("SF", tracking)));
        Ok(await admin.RejectGoodsAsync(opened.RequestId, new AfterSalesDecisionRequest("not the goods we sent")));
        Ok(await erasure.Cart(customer.Token).SetItemAsync(sku, new SetCartItemRequest(2)));
        var book = Cluster.Shipping(customer.Token);
        Ok(await book.AddAddressAsync(new AddressRequest("Saved " + unique, "13900001111", "浙江省", "杭州市", "西湖区", $"Saved {unique} Road")), HttpStatusCode.Created);
        const string AddressBookRows = "SELECT count(*) FROM orleansstorage WHERE grainidextensionstring = $1 AND graintypestring ILIKE '%addressbook%'";
        Assert.Equal(1L, await erasure.ScalarAsync<long>(AddressBookRows, customer.UserId));

        // What is stored of the name, phone, street and remark is ciphertext: the search after erasure looks for that.
        var stored = await erasure.StoredPersonalDataAsync(order.OrderNo);
        Assert.True(stored.Count >= 4, string.Join(", ", stored));
        Assert.NotEmpty(await erasure.FindInDatabaseAsync([.. stored]));

        // An old login cannot erase (a stolen token must not destroy an account's data): nothing is started.
        var stale = erasure.Erasure(TestTokens.Create(customer.UserId, "customer", now: DateTime.UtcNow.AddMinutes(-10)));
        Problem(await stale.RequestAsync(), HttpStatusCode.Unauthorized, PersonalDataErrorCodes.ReauthenticationRequired);
        Problem(await stale.GetAsync(), HttpStatusCode.NotFound, ErasureErrorCodes.ErasureNotFound);

        // Inside the after-sales window: the order waits, the answer says until when; asking again is the same request.
        var api = erasure.Erasure(customer.Token);
        var pending = Ok(await api.RequestAsync(), HttpStatusCode.Accepted);
        var waiting = Assert.Single(pending.Waiting);
        Assert.Equal((ErasureStatuses.Pending, order.OrderNo, "Completed"), (pending.Status, waiting.OrderNo, waiting.Status));
        // The window runs from the order's last move as a completed order (its after-sales moves count, as for new requests).
        var completedAt = Ok(await Cluster.Orders(customer.Token).GetOrderAsync(order.OrderNo)).History.Last(h => h.To == "Completed").At;
        Assert.Equal(completedAt + TimeSpan.FromDays(7), waiting.Until);
        Assert.Equal(waiting.Until, pending.CompletesBy);
        Assert.Equal(pending.RequestId, Ok(await api.RequestAsync(), HttpStatusCode.Accepted).RequestId);
        Assert.Empty((Ok(await erasure.Cart(customer.Token).GetCartAsync())).Lines);
        // The address book goes at once, like the cart, and its storage row with it (its key is the user id).
        Assert.Empty(Ok(await book.ListAddressesAsync()).Items);
        Assert.Equal(0L, await erasure.ScalarAsync<long>(AddressBookRows, customer.UserId));
        Assert.NotEmpty(await erasure.FindInDatabaseAsync(customer.OpenId, note, tracking));

        erasure.Clock.Advance(TimeSpan.FromDays(8));
        var done = await erasure.WaitForErasureAsync(api);
        Assert.Equal((pending.RequestId, 1), (done.RequestId, done.ErasedOrders));

        Assert.Empty(await erasure.FindInDatabaseAsync([customer.Address.Name!, customer.Address.Phone!, customer.Address.Detail!,
            customer.OpenId, note, photo, tracking, .. stored]));
        // The search does find what is there (names, phones and streets are only ever stored encrypted; ids are not):
        // the other customer's data is untouched.
        Assert.Contains(await erasure.FindInDatabaseAsync(other.UserId), f => f.StartsWith("orders.user_id", StringComparison.Ordinal));
        var othersView = Ok(await Cluster.Orders(other.Token).GetOrderAsync(othersOrder.OrderNo));
        Assert.Equal((other.Address.Name, other.Address.Phone, other.Address.Detail), (othersView.ShippingAddress.Name, othersView.ShippingAddress.Phone, othersView.ShippingAddress.Detail));

        // Accounting stays: the order, its amounts and its events, under one random pseudonym.
        var kept = Ok(await Cluster.Orders(TestTokens.Admin()).GetOrderAsync(order.OrderNo));
        Assert.Equal((order.TotalFen, "Completed", "", "", "", "浙江省", (string?)null),
            (kept.TotalFen, kept.Status, kept.ShippingAddress.Name, kept.ShippingAddress.Phone, kept.ShippingAddress.Detail, kept.ShippingAddress.Province, kept.Remark));
        var pseudonym = await erasure.ScalarAsync<string>("SELECT user_id FROM orders WHERE order_no = $1", order.OrderNo);
        Assert.StartsWith("anon:", pseudonym);
        // The operators' reads of the order (shipping it showed them the address) stay on record, under the pseudonym.
        Assert.True(await erasure.ScalarAsync<long>("SELECT count(*) FROM personal_data_access WHERE customer_id = $1", pseudonym!) > 0);
        Assert.Equal(pseudonym, await erasure.ScalarAsync<string>("SELECT payload->>'userId' FROM order_events WHERE order_no = $1 AND type = 'OrderCreated'", order.OrderNo));
        Assert.Equal(order.TotalFen.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await erasure.ScalarAsync<string>("SELECT payload->>'amountFen' FROM order_events WHERE order_no = $1 AND type = 'OrderPaid'", order.OrderNo));
        Assert.Contains(kept.History, h => h.Actor == "customer:" + pseudonym && h.Trigger == "ConfirmReceipt");
        Problem(await Cluster.Orders(customer.Token).GetOrderAsync(order.OrderNo), HttpStatusCode.NotFound, "ORDER_NOT_FOUND");

        // The completed request names neither the customer nor the pseudonym: its key is a hash of the user id, so a
        // pseudonym kept there would lead from a user id to every kept order.
        var completedRow = await erasure.ScalarAsync<string>("SELECT state::text FROM personal_data_erasures WHERE request_id = $1", done.RequestId);
        Assert.DoesNotContain(pseudonym!, completedRow);
        Assert.DoesNotContain(customer.OpenId, completedRow);
        Assert.Equal((done.RequestId, ErasureStatuses.Completed), (Ok(await api.GetAsync()).RequestId, Ok(await api.GetAsync()).Status));
        // A later request is a new one, complete at once (nothing is left under the user id).
        var again = Ok(await api.RequestAsync());
        Assert.Equal((ErasureStatuses.Completed, 0), (again.Status, again.ErasedOrders));
        Assert.NotEqual(done.RequestId, again.RequestId);
    }

    [Fact]
    public async Task Erasure_renames_the_customer_in_the_campaign_tallies_so_the_next_stock_snapshot_does_not_bring_the_id_back()
    {
        var customer = await erasure.CustomerAsync("campaign");
        var sku = (await Cluster.ProductAsync(10, 2_500)).Id;
        var now = DateTimeOffset.UtcNow;
        var campaign = await Cluster.CreateCampaignAsync(CampaignTestSupport.Campaign(sku, now.AddSeconds(-1), now.AddDays(80), allotment: 5, limit: 2));
        var order = await erasure.CompletedOrderAsync(customer, sku, campaign.Id);
        Assert.Equal(campaign.Id, Assert.Single(order.Lines).CampaignId);
        // A second order of the same SKU: the erasure scrubs the SKU's log once for both, and must still leave nothing.
        await erasure.CompletedOrderAsync(customer, sku, campaign.Id);
        // The SKU's campaign tally (what the per-customer limit counts) names the customer, in memory and in snapshots.
        await erasure.ForceStockSnapshotAsync(sku);
        Assert.Contains(await erasure.FindInDatabaseAsync(customer.UserId), f => f.StartsWith("inventory_snapshot.", StringComparison.Ordinal));

        var api = erasure.Erasure(customer.Token);
        Ok(await api.RequestAsync(), HttpStatusCode.Accepted);
        erasure.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(2, (await erasure.WaitForErasureAsync(api)).ErasedOrders);
        Assert.Empty(await erasure.FindInDatabaseAsync(customer.OpenId));

        // The SKU is still active with the tally in memory; its next snapshot is written from that memory.
        await erasure.ForceStockSnapshotAsync(sku);
        Assert.Empty(await erasure.FindInDatabaseAsync(customer.OpenId));
        var pseudonym = await erasure.ScalarAsync<string>("SELECT user_id FROM orders WHERE order_no = $1", order.OrderNo);
        Assert.Contains(pseudonym!, await erasure.ScalarAsync<string>("SELECT state::text FROM inventory_snapshot WHERE sku = $1", sku));
        // The campaign still counts the units as sold to one customer.
        var figures = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((2L, 1), (figures.Sold, figures.CustomersServed));
    }

    [Fact]
    public async Task A_pending_erasure_survives_a_silo_restart_and_completes_when_the_unpaid_order_closes()
    {
        var customer = await erasure.CustomerAsync("restart");
        Problem(await erasure.AdminErasure.GetForAsync(customer.UserId), HttpStatusCode.NotFound, ErasureErrorCodes.ErasureNotFound);
        Problem(await erasure.AdminErasure.RequestForAsync(new string('x', 129)), HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var order = await erasure.OrderAsync(customer, (await Cluster.ProductAsync(5, 990)).Id, pay: false);

        var pending = Ok(await erasure.AdminErasure.RequestForAsync(customer.UserId), HttpStatusCode.Accepted);
        Assert.Equal((order.OrderNo, order.ExpiresAt), (Assert.Single(pending.Waiting).OrderNo, Assert.Single(pending.Waiting).Until));
        Assert.StartsWith("admin:", pending.RequestedBy);

        // Every silo that held the request goes; a new one takes over (its sweep finds the stored request).
        var before = Cluster.Silos.Where(s => s.IsRunning).ToList();
        await Cluster.StartSiloAsync();
        foreach (var silo in before)
        {
            await silo.StopAsync();
        }

        erasure.Clock.Advance(TimeSpan.FromMinutes(16));
        var done = await erasure.WaitForErasureAsync(erasure.AdminErasure, customer.UserId);
        Assert.Equal(1, done.ErasedOrders);
        Assert.Equal(done.RequestId, Ok(await erasure.Erasure(customer.Token).GetAsync()).RequestId);
        Assert.Equal("Cancelled", await erasure.ScalarAsync<string>("SELECT status FROM orders WHERE order_no = $1", order.OrderNo));
        Assert.Empty(await erasure.FindInDatabaseAsync(customer.Address.Phone!, customer.OpenId));

        // The silo that took over runs the sweep: it reports the requests and the order it anonymised.
        var takeover = Cluster.Silos.Single(s => s.IsRunning);
        var metrics = await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(takeover.HttpAddress),
            m => m.Sum("shop_personal_data_erasure_requests", ("status", "completed")) >= 1, TimeSpan.FromSeconds(10), "the erasure gauge");
        Assert.True(metrics.Sum("shop_personal_data_orders_anonymised_total", ("reason", "erasure")) >= 1);
    }

    [Fact]
    public async Task Retention_anonymises_an_order_finished_longer_ago_than_the_retention_period_and_leaves_a_recent_one()
    {
        var customer = await erasure.CustomerAsync("retention");
        var sku = (await Cluster.ProductAsync(10, 1_200)).Id;
        var old = await erasure.CompletedOrderAsync(customer, sku);
        // The recent one completes eight days later (the old one's after-sales window has closed); retention's clock
        // then puts the cutoff (3 years back) between the two.
        var recent = await erasure.OrderAsync(customer, sku, pay: true);
        erasure.Clock.Advance(TimeSpan.FromDays(8));
        Ok(await Cluster.Orders(TestTokens.Admin()).ShipOrderAsync(recent.OrderNo, new ShipOrderRequest("SF", "SF1234567890")));
        Ok(await Cluster.Orders(customer.Token).ConfirmReceiptAsync(recent.OrderNo));
        erasure.PrivacyClock.Advance(erasure.Clock.Offset - erasure.PrivacyClock.Offset + TimeSpan.FromDays(1095 - 1));

        var orders = Cluster.Orders(customer.Token);
        var anonymised = await Poll.UntilAsync(async () => Ok(await orders.GetOrderAsync(old.OrderNo)), o => o.ShippingAddress.Phone.Length == 0,
            TimeSpan.FromSeconds(30), "retention to anonymise the old order");
        Assert.Equal(("", "", null, old.TotalFen), (anonymised.ShippingAddress.Name, anonymised.ShippingAddress.Detail, anonymised.Remark, anonymised.TotalFen));
        var kept = Ok(await orders.GetOrderAsync(recent.OrderNo));
        Assert.Equal((customer.Address.Name, customer.Address.Phone, customer.Address.Detail), (kept.ShippingAddress.Name, kept.ShippingAddress.Phone, kept.ShippingAddress.Detail));
        Assert.Null(await erasure.ScalarAsync<string>("SELECT state->>'personalDataErasedAt' FROM orders WHERE order_no = $1", recent.OrderNo));
    }

    [Fact]
    public async Task Retention_pages_past_orders_that_must_wait_so_they_never_block_the_orders_behind_them()
    {
        var customer = await erasure.CustomerAsync("paging");
        var sku = (await Cluster.ProductAsync(20, 1_500)).Id;
        // First (oldest changes): completed, inside their after-sales window, so retention must leave them for now; more
        // of them than one run reads (ten pages of one order), so the next run must go on from where the last stopped.
        var waiting = await erasure.CompletedOrderAsync(customer, sku);
        for (var i = 0; i < 10; i++)
        {
            await erasure.CompletedOrderAsync(customer, sku);
        }

        // Behind it: cancelled unpaid, nothing to wait for.
        var cancelled = await erasure.OrderAsync(customer, sku, pay: false);
        Ok(await Cluster.Orders(customer.Token).CancelOrderAsync(cancelled.OrderNo));
        // Both changed before the cutoff (retention's clock a minute past three years after the orders' clock).
        erasure.PrivacyClock.Advance(erasure.Clock.Offset - erasure.PrivacyClock.Offset + TimeSpan.FromDays(1095) + TimeSpan.FromMinutes(1));

        // Pages of one order: the first eleven pages are orders that wait; the runs go on past them.
        const string ErasedAt = "SELECT state->>'personalDataErasedAt' FROM orders WHERE order_no = $1";
        await Poll.UntilAsync(() => erasure.ScalarAsync<string>(ErasedAt, cancelled.OrderNo), at => at is not null,
            TimeSpan.FromSeconds(30), "retention to anonymise the cancelled order behind the waiting one");
        var blanked = Ok(await Cluster.Orders(customer.Token).GetOrderAsync(cancelled.OrderNo));
        Assert.Equal(("", "", "", null), (blanked.ShippingAddress.Name, blanked.ShippingAddress.Phone, blanked.ShippingAddress.Detail, blanked.Remark));
        Assert.Null(await erasure.ScalarAsync<string>(ErasedAt, waiting.OrderNo));
        var kept = Ok(await Cluster.Orders(customer.Token).GetOrderAsync(waiting.OrderNo));
        Assert.Equal((customer.Address.Phone, customer.Address.Detail), (kept.ShippingAddress.Phone, kept.ShippingAddress.Detail));
    }
}
