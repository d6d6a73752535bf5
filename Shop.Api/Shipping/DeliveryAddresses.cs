using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Api.Shipping;

/// <summary>
/// Addresses against the national region table: an inline address (orders, checkout, quotes) or a saved one. The
/// region code is optional so that clients written before it keep working: their province, city and district names
/// must then name a district of the table (they did in practice: the mini program's region picker gives them).
/// </summary>
public static class DeliveryAddresses
{
    /// <summary>Name, phone, detail and a region that resolves; every problem under <paramref name="prefix"/>.</summary>
    public static void Check(string? name, string? phone, string? province, string? city, string? district, string? detail, string? regionCode,
        string prefix, ValidationErrors errors)
    {
        var hasCode = !string.IsNullOrWhiteSpace(regionCode);
        errors.Required($"{prefix}name", name, CreateOrderRequest.MaxNameLength)
            .Check(phone is not null && Orders.OrderRequestRules.IsPhone(phone), $"{prefix}phone", "Must be a mainland China mobile number (11 digits, 13x to 19x).")
            .Required($"{prefix}detail", detail, CreateOrderRequest.MaxDetailLength);
        foreach (var (field, value) in new[] { ("province", province), ("city", city), ("district", district) })
        {
            if (value is { Length: > CreateOrderRequest.MaxRegionLength })
            {
                errors.Add(prefix + field, $"At most {CreateOrderRequest.MaxRegionLength} characters.");
            }
        }

        if (hasCode || !string.IsNullOrWhiteSpace(province) || !string.IsNullOrWhiteSpace(city) || !string.IsNullOrWhiteSpace(district))
        {
            RegionTable.Embedded.Resolve(province, city, district, regionCode, (field, message) => errors.Add(prefix + field, message));
        }
        else
        {
            errors.Add(prefix + "regionCode", "Required: the district's region code, or the province, city and district names.");
        }
    }

    public static void Check(ShippingAddressRequest address, string prefix, ValidationErrors errors) =>
        Check(address.Name, address.Phone, address.Province, address.City, address.District, address.Detail, address.RegionCode, prefix, errors);

    /// <summary>An address that passed <see cref="Check(ShippingAddressRequest, string, ValidationErrors)"/>, trimmed, with its district code.</summary>
    public static ShippingAddress ToShippingAddress(string name, string phone, string? province, string? city, string? district, string detail, string? regionCode)
    {
        var region = RegionTable.Embedded.Resolve(province, city, district, regionCode, (field, message) => { })
            ?? throw new ArgumentException("The address's region does not resolve: validate it first.");
        return new ShippingAddress(name.Trim(), phone, Trimmed(province) ?? region.Province.Name, Trimmed(city) ?? region.City.Name,
            Trimmed(district) ?? region.District.Name, detail.Trim(), region.District.Code);
    }

    public static ShippingAddress ToShippingAddress(this ShippingAddressRequest a) =>
        ToShippingAddress(a.Name!, a.Phone!, a.Province, a.City, a.District, a.Detail!, a.RegionCode);

    /// <summary>
    /// Where an order or checkout ships: the inline address (no call), or the caller's saved address; null when the
    /// book has no such id, or when the saved address's district is no longer in the region table (a refresh of
    /// deploy/data/regions.csv removed it): it was checked when saved, and is checked again each time it is used.
    /// </summary>
    public static async ValueTask<ShippingAddress?> ResolveAsync(ShippingAddressRequest? inline, string? addressId, string userId, IClusterClient cluster)
    {
        if (inline is not null)
        {
            return inline.ToShippingAddress();
        }

        return Current((await cluster.GetGrain<IAddressBookGrain>(userId).GetAsync(addressId!))?.Address);
    }

    /// <summary>The saved address when its district is still in the region table, else null.</summary>
    public static ShippingAddress? Current(ShippingAddress? saved) =>
        saved is { RegionCode: { } code } && RegionTable.Embedded.ResolveDistrict(code) is not null ? saved : null;

    public static ValidationProblem UnknownAddress() =>
        ShopProblems.Validation(new ValidationErrors().Add("addressId", UnknownAddressText + " (GET /api/me/addresses)."));

    public static ProblemHttpResult AddressNotFound() => ShopProblems.NotFound(ShippingErrorCodes.AddressNotFound, UnknownAddressText + ".");

    private const string UnknownAddressText =
        "No such address in your address book, or its district is no longer in the region table (edit it with PUT /api/me/addresses/{id})";

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
