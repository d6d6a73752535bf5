using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Grains.Orders;

/// <summary><c>Kafka:*</c> settings; the sink is on when <c>Kafka:BootstrapServers</c> is set.</summary>
public sealed record KafkaOrderEventOptions(string BootstrapServers, string Topic, int MessageTimeoutMs)
{
    public const string DefaultTopic = "shop.order-events";
    public const int DefaultMessageTimeoutMs = 10_000;

    public static KafkaOrderEventOptions? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Kafka");
        var servers = section["BootstrapServers"];
        if (string.IsNullOrWhiteSpace(servers))
        {
            return null;
        }

        var timeout = DefaultMessageTimeoutMs;
        if (section["MessageTimeoutMs"] is { } raw && (!int.TryParse(raw, out timeout) || timeout is < 100 or > 300_000))
        {
            throw new ShopConfigurationException($"Kafka:MessageTimeoutMs '{raw}' must be a number of milliseconds between 100 and 300000.");
        }

        var topic = section["OrderEventsTopic"];
        return new KafkaOrderEventOptions(servers, string.IsNullOrWhiteSpace(topic) ? DefaultTopic : topic, timeout);
    }
}

/// <summary>
/// Publishes order events to Kafka, keyed by order number (so one order's events stay in one partition, in order).
/// The producer is idempotent with acks=all; every publish ends within <c>message.timeout.ms</c>: delivered, or failed
/// and left pending for the next attempt. A retried event may reach Kafka twice; consumers dedupe on the
/// <c>event-id</c> header.
/// </summary>
public sealed class KafkaOrderEventSink : IOrderEventSink, IDisposable
{
    private readonly KafkaOrderEventOptions _options;
    private readonly IProducer<string, string> _producer;
    private int _disposed;

    public KafkaOrderEventSink(KafkaOrderEventOptions options, ILogger<KafkaOrderEventSink> logger)
    {
        _options = options;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = options.MessageTimeoutMs,
            RequestTimeoutMs = Math.Min(options.MessageTimeoutMs, 30_000),
            LingerMs = 5,
            ClientId = "shop-silo",
        };
        _producer = new ProducerBuilder<string, string>(config)
            // A broker that is down makes librdkafka log every reconnect attempt; what matters (which events are not
            // delivered) is logged once per event by the publisher, so the client's own chatter stays at Debug.
            .SetLogHandler((_, m) => logger.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .SetErrorHandler((_, e) => logger.Log(e.IsFatal ? LogLevel.Error : LogLevel.Debug, "Kafka: {Reason}", e.Reason))
            .Build();
    }

    public string Name => "kafka";

    public string Topic => _options.Topic;

    public async Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken)
    {
        // librdkafka reports every message by message.timeout.ms; the extra bound covers a stuck client.
        var bound = TimeSpan.FromMilliseconds(_options.MessageTimeoutMs + 5_000);
        var deliveries = events.Select(e => _producer.ProduceAsync(_options.Topic, ToMessage(e), cancellationToken)).ToList();
        var errors = new string?[events.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            try
            {
                await deliveries[i].WaitAsync(bound, cancellationToken);
            }
            catch (ProduceException<string, string> ex)
            {
                errors[i] = ex.Error.Reason;
            }
            catch (TimeoutException)
            {
                errors[i] = $"no delivery report within {bound.TotalSeconds:0} s";
            }
            catch (KafkaException ex)
            {
                errors[i] = ex.Error.Reason;
            }
        }

        return errors;
    }

    /// <summary>The value is the envelope with the payload inlined as JSON; id and type are also headers.</summary>
    public static Message<string, string> ToMessage(OrderEventEnvelope e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", e.EventId);
            json.WriteString("orderNo", e.OrderNo);
            json.WriteString("type", e.Type);
            json.WriteString("occurredAt", e.OccurredAt);
            json.WritePropertyName("payload");
            json.WriteRawValue(e.Payload);
            json.WriteEndObject();
        }

        return new Message<string, string>
        {
            Key = e.OrderNo,
            Value = Encoding.UTF8.GetString(buffer.ToArray()),
            Timestamp = new Timestamp(e.OccurredAt),
            Headers = new Headers
            {
                { "event-id", Encoding.UTF8.GetBytes(e.EventId.ToString()) },
                { "event-type", Encoding.UTF8.GetBytes(e.Type) },
            },
        };
    }

    public void Dispose()
    {
        // The container may dispose it once per registration that resolves it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
