using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Hosting;

namespace Shop.Grains.Observability;

/// <summary>
/// How many orders wait for a reconciliation query of their WeChat Pay transaction, and how many of those are
/// overdue: read from the durable reminders (the source of truth across silos and restarts, unlike any one silo's
/// memory) every <see cref="Interval"/>; every silo reports the same cluster-wide figures, so sum nothing: take max.
/// </summary>
public sealed class ReconciliationBacklog : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>Two periods of the reconcile reminder: past this, queries are failing, not merely scheduled.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromMinutes(2);

    private const string Sql = """
        SELECT count(*), count(*) FILTER (WHERE starttime < now() - @overdue)
        FROM orleansreminderstable WHERE serviceid = @service AND remindername = 'wechatpay-reconcile'
        """;

    private readonly string _connectionString;
    private readonly string _serviceId;
    private readonly ILogger<ReconciliationBacklog> _logger;
    private long _waiting = -1;
    private long _overdue = -1;

    public ReconciliationBacklog(string connectionString, string serviceId, IMeterFactory meters, ILogger<ReconciliationBacklog> logger)
    {
        _connectionString = connectionString;
        _serviceId = serviceId;
        _logger = logger;
        var meter = meters.Create(ShopObservability.ShopSource);
        meter.CreateObservableGauge("shop.payments.reconciliation.waiting", () => Read(ref _waiting), "{order}",
            "Orders whose WeChat Pay transaction is still to be queried (a reconciliation reminder exists), cluster-wide.");
        meter.CreateObservableGauge("shop.payments.reconciliation.overdue", () => Read(ref _overdue), "{order}",
            "Of those, the ones more than two minutes past their query time (queries failing), cluster-wide.");
    }

    /// <summary>Nothing until the first count: a made-up 0 would hide a backlog nobody could read.</summary>
    private static IEnumerable<Measurement<long>> Read(ref long field)
    {
        var value = Volatile.Read(ref field);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = new NpgsqlCommand(Sql, connection);
                command.Parameters.AddWithValue("overdue", OverdueAfter);
                command.Parameters.AddWithValue("service", _serviceId);
                await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                if (await reader.ReadAsync(stoppingToken))
                {
                    Volatile.Write(ref _waiting, reader.GetInt64(0));
                    Volatile.Write(ref _overdue, reader.GetInt64(1));
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The figure goes stale rather than wrong; readiness and the write-error metric tell about PostgreSQL.
                _logger.LogDebug(ex, "Reconciliation backlog not counted this time");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
