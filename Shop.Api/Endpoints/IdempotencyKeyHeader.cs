using Shop.Grains.Interfaces.Orders;

namespace Shop.Api.Endpoints;

/// <summary>
/// Endpoint metadata: the route requires an <c>Idempotency-Key</c> header (the rule of
/// <see cref="IdempotencyKeys.IsValidKey"/>). The handler enforces it; this only lets the OpenAPI document declare it,
/// including on routes that read the header from the request rather than binding it as a parameter.
/// </summary>
public sealed class IdempotencyKeyHeader
{
    public static readonly IdempotencyKeyHeader Instance = new();

    private IdempotencyKeyHeader()
    {
    }
}

public static class IdempotencyKeyHeaderExtensions
{
    /// <summary>Documents the required <c>Idempotency-Key</c> header of a route whose handler checks it.</summary>
    public static RouteHandlerBuilder WithIdempotencyKeyHeader(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(IdempotencyKeyHeader.Instance);
}
