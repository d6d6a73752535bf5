using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Report;

namespace Shop.Benchmarks.Scenarios;

/// <summary>The scenarios by name, run in order; baseline-pg first whenever a scenario is compared with it.</summary>
public static class ScenarioCatalog
{
    private static readonly string[] ComparedWithBaseline = ["reserve-hot", "reserve-hot-live", "reserve-spread", "order-http-hot", "order-http-campaign", "order-http-mix"];

    private static Task<List<ScenarioResult>> Run(string name, ScenarioContext context) => name switch
    {
        "baseline-pg" => BaselinePg.RunAsync(context),
        "reserve-hot" => ReserveScenarios.HotAsync(context, live: false),
        "reserve-hot-live" => ReserveScenarios.HotAsync(context, live: true),
        "reserve-spread" => ReserveScenarios.SpreadAsync(context),
        "order-http-hot" => OrderHttpScenarios.HotAsync(context),
        "order-http-campaign" => OrderHttpCampaignScenario.RunAsync(context),
        "order-http-mix" => OrderHttpScenarios.MixAsync(context),
        "catalog-read" => CatalogReadScenario.RunAsync(context),
        "activations" => ActivationsScenario.RunAsync(context),
        "notify" => NotifyScenario.RunAsync(context),
        _ => throw new ArgumentException($"unknown scenario '{name}'"),
    };

    /// <summary>Runs every selected scenario; true when one of them threw (its error is printed, the others still run).</summary>
    public static async Task<bool> RunAllAsync(ScenarioContext context)
    {
        var names = context.Options.Scenarios.ToList();
        if (!names.Contains("baseline-pg") && names.Any(ComparedWithBaseline.Contains))
        {
            names.Insert(0, "baseline-pg");
        }

        var failed = false;
        foreach (var name in names.OrderBy(n => n == "baseline-pg" ? 0 : 1))
        {
            Console.WriteLine($"== {name}");
            try
            {
                context.Results.AddRange(await Run(name, context));
            }
            catch (ScenarioSkippedException ex)
            {
                Console.WriteLine($"  skipped: {ex.Message}");
            }
            catch (Exception ex)
            {
                failed = true;
                Console.Error.WriteLine($"  {name} failed: {ex}");
            }
        }

        return failed;
    }
}
