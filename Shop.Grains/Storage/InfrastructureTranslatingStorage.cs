using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Shop.Grains.Storage;

/// <summary>
/// Wraps a grain storage provider so that its PostgreSQL failures leave as
/// <see cref="Interfaces.Infrastructure.InfrastructureUnavailableException"/>. The grain call filter cannot see these:
/// a state read that fails while a grain activates fails the activation, and Orleans sends that exception (wrapped,
/// never translated) to every caller waiting for the grain.
/// </summary>
public sealed class InfrastructureTranslatingStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Translate(inner.ClearStateAsync(stateName, grainId, grainState));

    // Providers that initialize at silo start (Orleans' ADO.NET storage) are registered as participants through this key.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private static async Task Translate(Task operation)
    {
        try
        {
            await operation;
        }
        catch (Exception ex) when (InfrastructureFailures.Translate(ex) is var translated && !ReferenceEquals(translated, ex))
        {
            throw translated;
        }
    }

    /// <summary>Wraps every named grain storage registered so far (call after the providers are added).</summary>
    public static void WrapAll(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IGrainStorage) || !descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = new ServiceDescriptor(typeof(IGrainStorage), descriptor.ServiceKey,
                (provider, key) => new InfrastructureTranslatingStorage(Create(descriptor, provider, key)), descriptor.Lifetime);
        }
    }

    private static IGrainStorage Create(ServiceDescriptor descriptor, IServiceProvider provider, object? key) =>
        (IGrainStorage)(descriptor.KeyedImplementationInstance
            ?? descriptor.KeyedImplementationFactory?.Invoke(provider, key)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.KeyedImplementationType!));
}
