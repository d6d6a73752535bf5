using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.WeChatPay.MiniProgram;

/// <summary>
/// WeChat's courier list (运力 id 列表), kept as data in the repository (<c>delivery-companies.json</c>, embedded): a
/// parcel names its courier by one of these ids, and WeChat refuses any other. The embedded file is only the fallback:
/// with a configured mini program the cluster fetches the live <c>get_delivery_list</c> (Shop.Grains' courier-list
/// grain) and shipments are checked against that (<see cref="Create"/>).
/// </summary>
public sealed class DeliveryCompanies
{
    private const string ResourceName = "Shop.WeChatPay.MiniProgram.delivery-companies.json";

    private readonly FrozenDictionary<string, DeliveryCompany> _byId;

    private DeliveryCompanies(string source, IReadOnlyList<DeliveryCompany> companies)
    {
        Source = source;
        All = companies;
        _byId = companies.ToFrozenDictionary(c => c.DeliveryId, StringComparer.Ordinal);
    }

    /// <summary>A list fetched from WeChat (ids assumed distinct and non-empty).</summary>
    public static DeliveryCompanies Create(string source, IReadOnlyList<DeliveryCompany> companies) => new(source, companies);

    /// <summary>The list shipped with this build: the fallback until the cluster fetched WeChat's.</summary>
    public static DeliveryCompanies Embedded { get; } = Load();

    public string Source { get; }

    public IReadOnlyList<DeliveryCompany> All { get; }

    /// <summary>Ids are case-sensitive at WeChat ("SF", "(AU)").</summary>
    public bool IsKnown(string deliveryId) => _byId.ContainsKey(deliveryId);

    public DeliveryCompany? Find(string deliveryId) => _byId.GetValueOrDefault(deliveryId);

    private static DeliveryCompanies Load()
    {
        using var stream = typeof(DeliveryCompanies).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(DeliveryCompanies).Assembly.GetName().Name}.");
        var file = JsonSerializer.Deserialize<DeliveryCompanyFile>(stream)
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
        if (file.DeliveryList is not { Count: > 0 } list || list.Any(c => string.IsNullOrWhiteSpace(c.DeliveryId) || string.IsNullOrWhiteSpace(c.DeliveryName)))
        {
            throw new InvalidOperationException($"{ResourceName} must list companies, each with delivery_id and delivery_name.");
        }

        return new DeliveryCompanies(file.Source ?? "", list);
    }

    private sealed record DeliveryCompanyFile(
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("delivery_list")] List<DeliveryCompany>? DeliveryList);
}
