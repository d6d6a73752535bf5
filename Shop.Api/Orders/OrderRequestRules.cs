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

        CheckDelivery(request.ShippingAddress, request.Remark, errors);
    }

    /// <summary>The shipping address and remark rules, shared by <c>POST /api/orders</c> and cart checkout.</summary>
    public static void CheckDelivery(ShippingAddressRequest? shippingAddress, string? remark, ValidationErrors errors)
    {
        if (shippingAddress is not { } address)
        {
            errors.Add("shippingAddress", "Required.");
        }
        else
        {
            errors.Required("shippingAddress.name", address.Name, CreateOrderRequest.MaxNameLength)
                .Check(address.Phone is { } phone && Phone().IsMatch(phone), "shippingAddress.phone", "Must be a mainland China mobile number (11 digits, 13x to 19x).")
                .Required("shippingAddress.province", address.Province, CreateOrderRequest.MaxRegionLength)
                .Required("shippingAddress.city", address.City, CreateOrderRequest.MaxRegionLength)
                .Required("shippingAddress.district", address.District, CreateOrderRequest.MaxRegionLength)
                .Required("shippingAddress.detail", address.Detail, CreateOrderRequest.MaxDetailLength);
        }

        errors.Check(remark is not { Length: > CreateOrderRequest.MaxRemarkLength }, "remark", $"At most {CreateOrderRequest.MaxRemarkLength} characters.");
    }

    public static void Check(ShipOrderRequest request, ValidationErrors errors) =>
        errors.Required("carrier", request.Carrier, ShipOrderRequest.MaxLength).Required("trackingNo", request.TrackingNo, ShipOrderRequest.MaxLength)
            .Check(string.IsNullOrWhiteSpace(request.Carrier) || Shop.WeChatPay.MiniProgram.DeliveryCompanies.Embedded.IsKnown(request.Carrier.Trim()), "carrier",
                "Not a courier id of WeChat's delivery list (GET /api/admin/couriers), e.g. SF, YTO, ZTO.");

    /// <summary>The grain's command from a request that passed <see cref="Check(CreateOrderRequest, ValidationErrors)"/>.</summary>
    public static CreateOrderCommand ToCommand(this CreateOrderRequest request, string userId)
    {
        return new CreateOrderCommand(
            userId,
            [.. request.Items!.Select(i => new OrderItem(OrderItemSkus.Sku(i)!, i.Quantity!.Value, i.CampaignId))],
            request.ShippingAddress!.ToShippingAddress(),
            NormalizeRemark(request.Remark));
    }

    /// <summary>An address that passed <see cref="CheckDelivery"/>, trimmed.</summary>
    public static ShippingAddress ToShippingAddress(this ShippingAddressRequest a) =>
        new(a.Name!.Trim(), a.Phone!, a.Province!.Trim(), a.City!.Trim(), a.District!.Trim(), a.Detail!.Trim());

    public static string? NormalizeRemark(string? remark) => string.IsNullOrWhiteSpace(remark) ? null : remark.Trim();
}
