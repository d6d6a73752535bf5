using System.Text.RegularExpressions;
using Shop.Api.Errors;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Api.Orders;

public static partial class OrderRequestRules
{
    [GeneratedRegex(CreateOrderRequest.PhonePattern)]
    private static partial Regex Phone();

    public static void Check(CreateOrderRequest request, ValidationErrors errors)
    {
        if (request.Items is not { Count: >= 1 and <= CreateOrderRequest.MaxLines } items)
        {
            errors.Add("items", $"Between 1 and {CreateOrderRequest.MaxLines} lines.");
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                OrderItemSkus.Check(items[i], $"items[{i}]", errors);
                errors.Range($"items[{i}].quantity", items[i]?.Quantity, 1, CreateOrderRequest.MaxQuantity);
                Campaigns.CampaignOrderProblems.CheckItem(items, i, errors);
            }
        }

        CheckDelivery(request.ShippingAddress, request.Remark, errors, request.AddressId);
    }

    public static bool IsPhone(string phone) => Phone().IsMatch(phone);

    /// <summary>
    /// The address and remark rules, shared by <c>POST /api/orders</c> and cart checkout: an inline address checked
    /// against the region table (Shipping/DeliveryAddresses), or a saved address's id.
    /// </summary>
    public static void CheckDelivery(ShippingAddressRequest? shippingAddress, string? remark, ValidationErrors errors, string? addressId = null)
    {
        if (addressId is not null)
        {
            errors.Check(shippingAddress is null, "addressId", "Give addressId or shippingAddress, not both.")
                .Check(Grains.Interfaces.Shipping.SavedAddress.IsValidId(addressId), "addressId", "Not an address id (GET /api/me/addresses).");
        }
        else if (shippingAddress is not { } address)
        {
            errors.Add("shippingAddress", "Required (or addressId, a saved address).");
        }
        else
        {
            Shipping.DeliveryAddresses.Check(address, "shippingAddress.", errors);
        }

        errors.Check(remark is not { Length: > CreateOrderRequest.MaxRemarkLength }, "remark", $"At most {CreateOrderRequest.MaxRemarkLength} characters.");
    }

    /// <summary><paramref name="couriers"/>: the list the cluster fetched from WeChat, or the embedded one (Fulfilment.CourierDirectory).</summary>
    public static void Check(ShipOrderRequest request, Shop.WeChatPay.MiniProgram.DeliveryCompanies couriers, ValidationErrors errors) =>
        errors.Required("carrier", request.Carrier, ShipOrderRequest.MaxLength).Required("trackingNo", request.TrackingNo, ShipOrderRequest.MaxLength)
            .Check(string.IsNullOrWhiteSpace(request.Carrier) || couriers.IsKnown(request.Carrier.Trim()), "carrier",
                "Not a courier id of WeChat's delivery list (GET /api/admin/couriers), e.g. SF, YTO, ZTO.");

    /// <summary>The grain's command from a request that passed <see cref="Check(CreateOrderRequest, ValidationErrors)"/>, shipping to <paramref name="shipping"/>.</summary>
    public static CreateOrderCommand ToCommand(this CreateOrderRequest request, string userId, ShippingAddress shipping)
    {
        return new CreateOrderCommand(
            userId,
            [.. request.Items!.Select(i => new OrderItem(OrderItemSkus.Sku(i)!, i.Quantity!.Value, i.CampaignId))],
            shipping,
            NormalizeRemark(request.Remark));
    }

    public static string? NormalizeRemark(string? remark) => string.IsNullOrWhiteSpace(remark) ? null : remark.Trim();
}
