using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Api.PersonalData;

/// <summary>
/// Streams one customer's export as a single JSON document: the orders a page at a time from the silo, each page
/// written and flushed before the next is read, so the API holds one page whatever the number of orders. The first
/// page, the cart, the address book and the subject are read before the status line goes out, so an unreachable cluster is still a
/// clean 503; a failure after that aborts the response, and a client never takes a truncated file as complete
/// (the document ends with <c>totals</c>).
/// </summary>
public sealed class ExportWriter(string userId, CartView cart, IReadOnlyList<SavedAddress> addresses, ExportOrderPage firstPage, IClusterClient cluster, DateTimeOffset generatedAt) : IResult, IEndpointMetadataProvider
{
    public const int OrderPageSize = 100;
    public const int AfterSalesPageSize = 100;

    public static async Task<ExportWriter> StartAsync(string userId, IClusterClient cluster, TimeProvider time)
    {
        var cart = cluster.GetGrain<ICartGrain>(userId).GetAsync();
        var addresses = cluster.GetGrain<IAddressBookGrain>(userId).ListAsync();
        var first = cluster.GetGrain<IPersonalDataExportGrain>(0).ReadOrdersAsync(userId, null, OrderPageSize);
        return new ExportWriter(userId, await cart, await addresses, await first, cluster, time.GetUtcNow());
    }

    /// <summary>The 200 answer in OpenAPI: the writer is a plain IResult, so the generator cannot see the document's shape.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PersonalDataExport), ["application/json"]));

    public async Task ExecuteAsync(HttpContext http)
    {
        var aborted = http.RequestAborted;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"personal-data-{generatedAt:yyyyMMddTHHmmssZ}.json\"";
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            await using var json = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = ExportDocument.Json.Encoder });
            json.WriteStartObject();
            json.WriteString("format", ExportDocument.Format);
            json.WriteNumber("version", ExportDocument.Version);
            json.WriteString("generatedAt", generatedAt);
            json.WritePropertyName("subject");
            JsonSerializer.Serialize(json, ExportDocument.Subject(userId), ExportDocument.Json);
            json.WritePropertyName("cart");
            JsonSerializer.Serialize(json, ExportDocument.Cart(cart), ExportDocument.Json);
            json.WritePropertyName("addresses");
            JsonSerializer.Serialize(json, ExportDocument.Addresses(addresses), ExportDocument.Json);

            var campaignUnits = new SortedDictionary<(string Campaign, string Sku), long>();
            var orders = await WriteOrdersAsync(json, http, campaignUnits, aborted);
            json.WriteStartArray("campaignQuotas");
            foreach (var ((campaign, sku), units) in campaignUnits)
            {
                JsonSerializer.Serialize(json, new ExportCampaignUnits(campaign, sku, units), ExportDocument.Json);
            }

            json.WriteEndArray();
            var afterSales = await WriteAfterSalesAsync(json, http, aborted);
            json.WriteStartObject("totals");
            json.WriteNumber("orders", orders);
            json.WriteNumber("afterSalesRequests", afterSales);
            json.WriteEndObject();
            json.WriteEndObject();
            await FlushAsync(json, http, aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // The status line is out: the only honest signal left is to cut the connection.
            http.RequestServices.GetRequiredService<ILogger<ExportWriter>>().LogError(ex, "A personal-data export failed midway; the response was aborted");
            http.Abort();
        }
    }

    private async Task<long> WriteOrdersAsync(Utf8JsonWriter json, HttpContext http, SortedDictionary<(string, string), long> campaignUnits, CancellationToken aborted)
    {
        var source = cluster.GetGrain<IPersonalDataExportGrain>(0);
        long count = 0;
        json.WriteStartArray("orders");
        for (var page = firstPage; ; page = await source.ReadOrdersAsync(userId, page.Next, OrderPageSize))
        {
            foreach (var order in page.Orders)
            {
                var rejected = page.Rejected?.Contains(order.OrderNo) == true;
                JsonSerializer.Serialize(json, ExportDocument.Order(order, rejected, page.AutomaticRefunds?.GetValueOrDefault(order.OrderNo)), ExportDocument.Json);
                ExportDocument.CountCampaignUnits(order, rejected, campaignUnits);
                count++;
            }

            await FlushAsync(json, http, aborted);
            if (page.Next is null)
            {
                break;
            }
        }

        json.WriteEndArray();
        return count;
    }

    private async Task<long> WriteAfterSalesAsync(Utf8JsonWriter json, HttpContext http, CancellationToken aborted)
    {
        var query = cluster.GetGrain<IAfterSalesQueryGrain>(0);
        long count = 0;
        json.WriteStartArray("afterSalesRequests");
        for (var number = 1; ; number++)
        {
            var page = await query.ListAsync(new AfterSalesListQuery(null, null, userId, number, AfterSalesPageSize));
            foreach (var request in page.Items)
            {
                JsonSerializer.Serialize(json, ExportDocument.AfterSales(request), ExportDocument.Json);
                count++;
            }

            await FlushAsync(json, http, aborted);
            if (page.Items.Count < AfterSalesPageSize)
            {
                break;
            }
        }

        json.WriteEndArray();
        return count;
    }

    /// <summary>
    /// The writer works on the response's pipe (serializing never blocks on the socket); each flush sends what one
    /// page produced, and waits while the client is slower than the silo (back-pressure keeps memory flat).
    /// </summary>
    private static async Task FlushAsync(Utf8JsonWriter json, HttpContext http, CancellationToken aborted)
    {
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(aborted);
    }
}
