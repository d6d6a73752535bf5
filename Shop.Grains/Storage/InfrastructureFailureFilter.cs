using Microsoft.Extensions.Logging;

namespace Shop.Grains.Storage;

/// <summary>
/// The net behind the stores' own translation: whatever infrastructure exception still leaves a grain method (a read
/// outside group commit, Orleans' ADO.NET grain storage) is logged here with its cause and replaced by the serializable
/// <see cref="Interfaces.Infrastructure.InfrastructureUnavailableException"/>, so that the caller sees "retry later"
/// instead of a codec failure.
/// </summary>
public sealed class InfrastructureFailureFilter(ILogger<InfrastructureFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (InfrastructureFailures.Translate(ex) is var translated && !ReferenceEquals(translated, ex))
        {
            logger.LogWarning(ex, "{Grain}.{Method} failed: PostgreSQL unavailable", context.TargetId, context.MethodName);
            throw translated;
        }
    }
}
