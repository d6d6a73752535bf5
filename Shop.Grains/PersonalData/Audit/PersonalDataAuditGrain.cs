using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;
using Shop.Hosting;

namespace Shop.Grains.PersonalData.Audit;

/// <summary>
/// Writes and reads the access log. The customer of an order read is taken from the order's own row, so a record
/// names whose data was seen even when the caller only knew the order number.
/// </summary>
[StatelessWorker]
public sealed class PersonalDataAuditGrain(
    IPersonalDataAccessStore store,
    IOrderStore orders,
    PersonalDataMetrics metrics,
    [FromKeyedServices(PersonalDataRegistration.ClockKey)] TimeProvider clock,
    ILogger<PersonalDataAuditGrain> logger) : Grain, IPersonalDataAuditGrain
{
    public async Task<PersonalDataAccess?> RecordAsync(PersonalDataAccessRequest request)
    {
        var customer = request.CustomerId ?? await OwnerOfAsync(request.OrderNo)
            ?? throw new ArgumentException($"Order {request.OrderNo} has no stored row: there is no customer to record the read against.", nameof(request));
        if (customer == request.Admin)
        {
            return null; // an admin's own order, as any customer reads theirs: not an operator access
        }

        PersonalDataAccess record;
        try
        {
            record = await store.AppendAsync(request, customer, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // Any refusal (a missing table, a full disk, not only a lost connection) means "not recorded": the caller
            // must withhold the data. The cause stays here; PostgreSQL's exceptions do not cross to the API.
            logger.LogError(ex, "The personal-data access log refused a {Purpose} record", request.Purpose);
            throw new Interfaces.Infrastructure.InfrastructureUnavailableException("The personal-data access log cannot be written.");
        }

        metrics.Recorded(request.Purpose);
        return record;
    }

    public Task<PersonalDataAccessPage> ListAsync(PersonalDataAccessQuery query) =>
        store.ListAsync(query with { Size = Math.Clamp(query.Size, 1, IPersonalDataAuditGrain.MaxPageSize) }, CancellationToken.None);

    private async Task<string?> OwnerOfAsync(string? orderNo)
    {
        if (orderNo is null || await orders.ReadAsync(orderNo, CancellationToken.None) is not { } stored)
        {
            return null;
        }

        using var json = JsonDocument.Parse(stored.StateJson);
        return json.RootElement.TryGetProperty("userId", out var user) ? user.GetString() : null;
    }
}

/// <summary><c>shop_personal_data_access_records_total</c>: audit records written, by purpose (order-read, admin-export).</summary>
public sealed class PersonalDataMetrics
{
    public const string AccessRecords = "shop_personal_data_access_records_total";

    private readonly Counter<long> _records;

    public PersonalDataMetrics(IMeterFactory meters) =>
        _records = meters.Create(ShopObservability.ShopSource).CreateCounter<long>("shop.personal_data.access_records", "{record}",
            "Operator reads of customers' personal data written to the access log, by purpose (order-read, admin-export).");

    public void Recorded(string purpose) => _records.Add(1, new KeyValuePair<string, object?>("purpose", purpose));
}
