using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>A destination of order events. Publishing an event that is already there must not store it twice.</summary>
public interface IOrderEventSink
{
    string Name { get; }

    /// <summary>One entry per event, in order: null when the event is stored or delivered, else why not.</summary>
    Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken);
}

/// <summary>
/// The order event log (PostgreSQL's <c>order_events</c>, or the embedded mode's memory). The orders store appends each
/// change's events to it in the change's own transaction; as a sink it takes only events relayed from an outbox
/// (rows written before that, or on their way to a relay), which it already holds or stores once.
/// </summary>
public interface IOrderEventLog : IOrderEventSink
{
}

/// <summary>The event log behind <see cref="IOrderEventQueryGrain"/>.</summary>
public interface IOrderEventReader
{
    Task<OrderEventPage> ReadAsync(long after, int limit, CancellationToken cancellationToken);
}

public sealed record OrderEventPublishResult(Guid EventId, bool Published, string? Error);

public interface IOrderEventPublisher
{
    /// <summary>
    /// True when a sink beyond the event log is configured (Kafka): only then do orders keep an outbox of events to
    /// relay after their write.
    /// </summary>
    bool HasRelays { get; }

    /// <summary>Publishes to every configured sink; an event counts as published only when every sink has it.</summary>
    Task<IReadOnlyList<OrderEventPublishResult>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken = default);
}

/// <summary>
/// Publishes to the sinks in order (the event log first, then Kafka when configured), passing on only the events the
/// previous sinks took, so a failed event is retried everywhere later and no sink sees it before the log does.
/// </summary>
public sealed class OrderEventPublisher(IEnumerable<IOrderEventSink> sinks, ILogger<OrderEventPublisher> logger) : IOrderEventPublisher
{
    private readonly IReadOnlyList<IOrderEventSink> _sinks = [.. sinks];

    public IReadOnlyList<string> SinkNames => [.. _sinks.Select(s => s.Name)];

    public bool HasRelays => _sinks.Any(s => s is not IOrderEventLog);

    public async Task<IReadOnlyList<OrderEventPublishResult>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken = default)
    {
        var errors = new string?[events.Count];
        foreach (var sink in _sinks)
        {
            var open = Enumerable.Range(0, events.Count).Where(i => errors[i] is null).ToList();
            if (open.Count == 0)
            {
                break;
            }

            IReadOnlyList<string?> outcome;
            try
            {
                outcome = await sink.PublishAsync([.. open.Select(i => events[i])], cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcome = [.. open.Select(_ => ex.Message)];
            }

            for (var k = 0; k < open.Count; k++)
            {
                if (outcome[k] is { } error)
                {
                    errors[open[k]] = $"{sink.Name}: {error}";
                    logger.LogWarning("Order event {EventId} ({Type}, order {OrderNo}) not published to {Sink}: {Error}",
                        events[open[k]].EventId, events[open[k]].Type, events[open[k]].OrderNo, sink.Name, error);
                }
            }
        }

        return [.. events.Select((e, i) => new OrderEventPublishResult(e.EventId, errors[i] is null, errors[i]))];
    }
}

public static class OutboxRelay
{
    /// <summary>Publishes the pending events; returns the outbox without those that were published.</summary>
    public static async Task<Outbox> PublishPendingAsync(this IOrderEventPublisher publisher, Outbox outbox, CancellationToken cancellationToken = default)
    {
        if (outbox.IsEmpty)
        {
            return outbox;
        }

        var results = await publisher.PublishAsync(outbox.Pending, cancellationToken);
        return outbox.Remove(results.Where(r => r.Published).Select(r => r.EventId));
    }
}
