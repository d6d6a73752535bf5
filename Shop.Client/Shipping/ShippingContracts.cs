using Shop.Client.Orders;

namespace Shop.Client.Shipping;

/// <summary>
/// One price of a freight template: <see cref="FirstFen"/> covers the first <see cref="FirstUnits"/> (pieces, or grams
/// when the template charges by weight), then every started step of <see cref="AdditionalUnits"/> costs
/// <see cref="AdditionalFen"/>. <see cref="Regions"/>: GB/T 2260 codes of provinces, cities or districts (none for the
/// default rule).
/// </summary>
public sealed record FreightRuleRequest(IReadOnlyList<string>? Regions, int? FirstUnits, long? FirstFen, int? AdditionalUnits, long? AdditionalFen);

/// <summary>
/// A freight template (运费模板): <see cref="ChargeBy"/> <c>Piece</c> or <c>Weight</c> (the SKU's grams); rules per
/// region group (the most specific matching group wins), <see cref="DefaultRule"/> for the rest; regions in
/// <see cref="NotDelivered"/> are refused (409 SHIPPING_NOT_DELIVERED); an order whose goods reach
/// <see cref="FreeShippingThresholdFen"/> ships this template's lines free. <see cref="Version"/> makes an update
/// conditional.
/// </summary>
public sealed record FreightTemplateRequest(
    string? Name,
    string? ChargeBy,
    FreightRuleRequest? DefaultRule,
    IReadOnlyList<FreightRuleRequest>? Rules = null,
    IReadOnlyList<string>? NotDelivered = null,
    long? FreeShippingThresholdFen = null,
    long? Version = null);

public sealed record FreightRuleResponse(IReadOnlyList<string> Regions, int FirstUnits, long FirstFen, int AdditionalUnits, long AdditionalFen);

/// <summary>A template; <see cref="IsDefault"/> marks the one every product without a template uses.</summary>
public sealed record FreightTemplateResponse(
    string Id,
    string Name,
    string ChargeBy,
    FreightRuleResponse DefaultRule,
    IReadOnlyList<FreightRuleResponse> Rules,
    IReadOnlyList<string> NotDelivered,
    long? FreeShippingThresholdFen,
    bool IsDefault,
    long Version,
    DateTimeOffset UpdatedAt);

public sealed record FreightTemplateListResponse(IReadOnlyList<FreightTemplateResponse> Items);

/// <summary>
/// A saved address. <see cref="RegionCode"/> is the district's GB/T 2260 code (optional when the province, city and
/// district names identify it); <see cref="IsDefault"/> true makes it the default (the first address always is).
/// </summary>
public sealed record AddressRequest(string? Name, string? Phone, string? Province, string? City, string? District, string? Detail,
    string? RegionCode = null, bool? IsDefault = null);

public sealed record AddressResponse(string Id, string Name, string Phone, string Province, string City, string District, string Detail,
    string? RegionCode, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The caller's addresses, the default first; <see cref="Limit"/> is how many the book holds at most.</summary>
public sealed record AddressListResponse(IReadOnlyList<AddressResponse> Items, int Limit);

/// <summary>
/// Lines to quote and where to: a saved address (<see cref="AddressId"/>), an inline <see cref="ShippingAddress"/>, or
/// only the district's <see cref="RegionCode"/> (exactly one of the three).
/// </summary>
public sealed record ShippingQuoteRequest(IReadOnlyList<OrderItemRequest>? Items, string? AddressId = null,
    ShippingAddressRequest? ShippingAddress = null, string? RegionCode = null);

/// <summary>The fee of one template's lines: <see cref="Units"/> pieces or grams; <see cref="FreeShipping"/> when the order reached its threshold.</summary>
public sealed record TemplateFeeResponse(string TemplateId, string TemplateName, string ChargeBy, long Units, long FeeFen, bool FreeShipping);

/// <summary>What ordering these lines to that address costs: the same computation as the order's total.</summary>
public sealed record ShippingQuoteResponse(string RegionCode, long GoodsFen, long ShippingFeeFen, long TotalFen, IReadOnlyList<TemplateFeeResponse> Fees);

/// <summary>Problem codes of shipping: stable, clients branch on them.</summary>
public static class ShippingErrorCodes
{
    /// <summary>409: a line's freight template does not deliver to the address; <c>lines</c> names each SKU, template and region.</summary>
    public const string ShippingNotDelivered = "SHIPPING_NOT_DELIVERED";

    /// <summary>404: no such freight template.</summary>
    public const string FreightTemplateNotFound = "FREIGHT_TEMPLATE_NOT_FOUND";

    /// <summary>409: the default freight template cannot be deleted.</summary>
    public const string DefaultFreightTemplate = "DEFAULT_FREIGHT_TEMPLATE";

    /// <summary>409: products still name the freight template; the detail says how many and one product id.</summary>
    public const string FreightTemplateInUse = "FREIGHT_TEMPLATE_IN_USE";

    /// <summary>404: no such address in the caller's address book.</summary>
    public const string AddressNotFound = "ADDRESS_NOT_FOUND";

    /// <summary>409: the address book already holds <c>Shipping:MaxAddresses</c> addresses.</summary>
    public const string AddressBookFull = "ADDRESS_BOOK_FULL";
}
