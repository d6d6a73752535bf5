using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Export;

/// <summary>The times of a customer's exports within the last 24 hours (older ones are dropped at the next export).</summary>
[GenerateSerializer, Alias("Shop.PersonalData.ExportQuotaState")]
public sealed class ExportQuotaState
{
    [Id(0)]
    public List<DateTimeOffset> Exports { get; set; } = [];
}

/// <summary>
/// One customer's export budget: a sliding 24-hour window kept in grain storage (PostgreSQL in a deployment), so
/// the limit holds across API hosts, silos and restarts. Calls run one at a time, so two concurrent exports cannot
/// both take the last one.
/// </summary>
public sealed partial class PersonalDataExportQuotaGrain(
    [PersistentState("personal-data-exports")] IPersistentState<ExportQuotaState> state,
    [FromKeyedServices(PersonalDataRegistration.ClockKey)] TimeProvider clock) : Grain, IPersonalDataExportQuotaGrain
{
    public async Task<ExportPermit> TryTakeAsync(int perDay)
    {
        if (perDay <= 0)
        {
            return new ExportPermit(true, int.MaxValue, null);
        }

        var now = clock.GetUtcNow();
        var window = IPersonalDataExportQuotaGrain.Window;
        var recent = state.State.Exports.Where(at => at > now - window).Order().ToList();
        if (recent.Count >= perDay)
        {
            // Free again when enough of the oldest leave the window for one more to fit.
            return new ExportPermit(false, 0, recent[recent.Count - perDay] + window - now);
        }

        var previous = state.State.Exports;
        state.State.Exports = [.. recent, now];
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Exports = previous;
            throw;
        }

        return new ExportPermit(true, perDay - recent.Count - 1, null);
    }
}
