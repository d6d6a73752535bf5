using Orleans.Concurrency;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>
/// Every freight template of the shop, in one grain (call it with id 0): a shop has tens of templates, and orders read
/// them from each silo's in-memory copy (Shop.Grains/Shipping/FreightTemplateCache), never from here per order.
/// </summary>
[Alias("Shop.Shipping.IFreightTemplatesGrain")]
public interface IFreightTemplatesGrain : IGrainWithIntegerKey
{
    /// <summary>Every template, the default one included, and a version that changes with every edit.</summary>
    [ReadOnly, Alias("GetAll")]
    Task<FreightTemplateSet> GetAllAsync();

    /// <summary>
    /// Every template, and <paramref name="observer"/> is told of each change from now on (for a while: a silo's cache
    /// calls this again whenever it refreshes, which renews it).
    /// </summary>
    [Alias("Subscribe")]
    Task<FreightTemplateSet> SubscribeAsync(IFreightTemplateObserver observer);

    [Alias("Create")]
    Task<FreightTemplateOutcome> CreateAsync(string id, FreightTemplateDraft draft);

    [Alias("Update")]
    Task<FreightTemplateOutcome> UpdateAsync(string id, FreightTemplateDraft draft, long? expectedVersion);

    [Alias("Delete")]
    Task<FreightTemplateOutcome> DeleteAsync(string id);
}

[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightTemplateSet")]
public sealed record FreightTemplateSet(
    [property: Id(0)] IReadOnlyDictionary<string, FreightTemplate> Templates,
    [property: Id(1)] long Version);

/// <summary>Told by the templates grain when a template changes, so each silo's cache drops its copy at once.</summary>
[Alias("Shop.Shipping.IFreightTemplateObserver")]
public interface IFreightTemplateObserver : IGrainObserver
{
    [OneWay, Alias("TemplatesChanged")]
    Task TemplatesChanged(FreightTemplateSet templates);
}
