using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>An order's status with its history; the only way to change it is <see cref="TryApply"/>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderProgress")]
public sealed record OrderProgress(
    [property: Id(0)] OrderStatus Status,
    [property: Id(1)] OrderStatus? StatusBeforeRefund,
    [property: Id(2)] ImmutableList<OrderHistoryEntry> History)
{
    public static OrderProgress New { get; } = new(OrderStatus.PendingPayment, null, []);

    public bool TryApply(OrderTrigger trigger, DateTimeOffset at, string actor, string? reason, [NotNullWhen(true)] out OrderProgress? next)
    {
        if (!OrderStateMachine.TryTransition(Status, trigger, StatusBeforeRefund, out var to))
        {
            next = null;
            return false;
        }

        next = new OrderProgress(
            to,
            to == OrderStatus.Refunding ? Status : null,
            History.Add(new OrderHistoryEntry(at, actor, trigger, Status, to, reason)));
        return true;
    }
}
