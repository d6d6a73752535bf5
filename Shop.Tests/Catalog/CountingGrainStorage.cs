using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;

namespace Shop.Tests.Catalog;

/// <summary>
/// Wraps the silo's real default grain storage (ADO.NET on PostgreSQL) and counts state reads per grain, so a test
/// can tell a database read from an answer served by an activation's memory.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<GrainId, int> _reads = new();

    public int ReadsOf(GrainId grainId) => _reads.GetValueOrDefault(grainId);

    public int ReadsOfType(string grainType) => _reads.Where(r => r.Key.Type.ToString() == grainType).Sum(r => r.Value);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _reads.AddOrUpdate(grainId, 1, (_, n) => n + 1);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Replaces the default storage registration of a silo with a counting wrapper around it.</summary>
    public static void Install(IServiceCollection services, Action<CountingGrainStorage> created)
    {
        var original = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService &&
                                            Equals(d.ServiceKey, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, key) =>
        {
            var counting = new CountingGrainStorage((IGrainStorage)original.KeyedImplementationFactory!(sp, key));
            created(counting);
            return counting;
        });
    }
}
