using Shop.Api.Errors;
using Shop.Client.Campaigns;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Api.Campaigns;

/// <summary>Campaign lines of <c>POST /api/orders</c>: their field rules and the 409 problems of campaign and hoarding refusals.</summary>
public static class CampaignOrderProblems
{
    public static void CheckItem(IReadOnlyList<OrderItemRequest?> items, int i, ValidationErrors errors)
    {
        if (items[i] is not { } item)
        {
            return;
        }

        errors.Check(item.CampaignId is null || CampaignId.IsValid(item.CampaignId), $"items[{i}].campaignId", "Must be a campaign id.");

        // One SKU is one reservation per order: at one price, from one stock (a campaign's or the general one). Compared by
        // SKU, not productId: variant lines name only their skuId, and two sizes may come from a campaign and not.
        var sku = Orders.OrderItemSkus.Sku(item);
        errors.Check(items.Take(i).All(other => other is null || Orders.OrderItemSkus.Sku(other) != sku || other.CampaignId == item.CampaignId),
            $"items[{i}].campaignId", "A product can be ordered from one campaign (or none) per order.");
    }

    public static string? CodeOf(OrderOutcomeStatus status) => status switch
    {
        OrderOutcomeStatus.CampaignUnknown => CampaignErrorCodes.CampaignNotFound,
        OrderOutcomeStatus.CampaignNotStarted => CampaignErrorCodes.CampaignNotStarted,
        OrderOutcomeStatus.CampaignEnded => CampaignErrorCodes.CampaignEnded,
        OrderOutcomeStatus.CampaignSoldOut => CampaignErrorCodes.CampaignSoldOut,
        OrderOutcomeStatus.CampaignLimitReached => CampaignErrorCodes.CampaignLimitReached,
        OrderOutcomeStatus.UnpaidOrderLimit => CampaignErrorCodes.UnpaidOrderLimit,
        OrderOutcomeStatus.UnpaidUnitsLimit => CampaignErrorCodes.UnpaidUnitsLimit,
        _ => null,
    };

    public static void AddExtensions(OrderOutcome outcome, IDictionary<string, object?> extensions)
    {
        if (outcome.CampaignId is { } id)
        {
            extensions["campaignId"] = id;
        }

        if (outcome.StartsAt is { } startsAt)
        {
            extensions["startsAt"] = startsAt;
        }
    }
}
