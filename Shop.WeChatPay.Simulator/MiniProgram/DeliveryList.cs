using Shop.WeChatPay.MiniProgram;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>
/// The courier list this WeChat answers get_delivery_list with and checks upload_shipping_info's express_company
/// against: Shop's embedded starter list plus couriers it lacks (WeChat's real list has ~1,379), so a client that only
/// knows the embedded file is caught. The test control replaces it (a courier WeChat adds).
/// </summary>
internal sealed class DeliveryList
{
    /// <summary>In WeChat's list, not in delivery-companies.json.</summary>
    public static readonly IReadOnlyList<DeliveryCompany> BeyondEmbedded = [new("ZJS", "宅急送"), new("UC", "优速快递")];

    private volatile DeliveryCompanies _current = DeliveryCompanies.Create("simulator", [.. DeliveryCompanies.Embedded.All, .. BeyondEmbedded]);

    public DeliveryCompanies Current => _current;

    public void Replace(IReadOnlyList<DeliveryCompany> companies) => _current = DeliveryCompanies.Create("simulator (control)", companies);
}
