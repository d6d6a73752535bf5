using Shop.Api.Errors;
using Shop.Client.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Api.Fulfilment;

/// <summary>
/// The shape of a shipment, checked before any grain is called (field names as the client sent them): WeChat's
/// logistics types, at most 15 express parcels, couriers from WeChat's delivery list, tracking numbers within WeChat's
/// 128, and lines with a product and a quantity. Whether the lines match the order is the order's to say (422).
/// </summary>
public static class ShipmentRules
{
    public const int MaxLineQuantity = 999;

    public static void Check(ShipmentRequest request, DeliveryCompanies couriers, ValidationErrors errors)
    {
        Check(request.LogisticsType, request.Parcels, couriers, errors, "");
        if (request.Partial == true)
        {
            errors.Check(request.LogisticsType == "Express", "partial", "Only express goods ship in parts (WeChat splits only express delivery).");
            errors.Check(request.Parcels?.All(p => p?.Lines is { Count: > 0 }) == true, "partial", "A partial shipment names the lines in every parcel.");
        }
    }

    /// <summary><paramref name="couriers"/>: the list the cluster fetched from WeChat, or the embedded one (<see cref="CourierDirectory"/>).</summary>
    public static void Check(string? logisticsType, IReadOnlyList<ParcelRequest>? parcels, DeliveryCompanies couriers, ValidationErrors errors, string prefix)
    {
        errors.OneOf(prefix + "logisticsType", logisticsType, ShipmentRequest.LogisticsTypes);
        var list = parcels ?? [];
        switch (logisticsType)
        {
            case "Virtual" or "Pickup":
                errors.Check(list.Count == 0, prefix + "parcels", $"{logisticsType} goods travel in no parcel: leave parcels empty.");
                return;
            case "SameCity":
                errors.Check(list.Count == 1, prefix + "parcels", "Same-city delivery is exactly one parcel (WeChat splits only express).");
                break;
            case "Express":
                // None only completes a partly shipped order whose rest was refunded; the order decides that (422 otherwise).
                errors.Check(list.Count <= ShipmentRequest.MaxParcels, prefix + "parcels",
                    $"Express shipping needs 1 to {ShipmentRequest.MaxParcels} parcels (WeChat's split-delivery limit).");
                break;
            default:
                return;
        }

        for (var k = 0; k < Math.Min(list.Count, ShipmentRequest.MaxParcels); k++)
        {
            var parcel = list[k];
            var at = $"{prefix}parcels[{k}].";
            errors.Required(at + "trackingNo", parcel?.TrackingNo, ShipmentRequest.MaxTrackingNoLength);
            errors.Required(at + "courier", parcel?.Courier, ShipmentRequest.MaxTrackingNoLength);
            if (logisticsType == "Express" && parcel?.Courier is { } courier && !string.IsNullOrWhiteSpace(courier))
            {
                errors.Check(couriers.IsKnown(courier.Trim()), at + "courier",
                    "Not a courier id of WeChat's delivery list (GET /api/admin/couriers), e.g. SF, YTO, ZTO.");
            }

            errors.Check(list.Count == 1 || parcel?.Lines is { Count: > 0 }, at + "lines", "With several parcels, every parcel names its lines.");
            var lines = parcel?.Lines ?? [];
            for (var j = 0; j < lines.Count; j++)
            {
                errors.Required($"{at}lines[{j}].skuId", lines[j]?.SkuId, 64)
                    .Range($"{at}lines[{j}].quantity", lines[j]?.Quantity, 1, MaxLineQuantity);
            }
        }
    }
}
