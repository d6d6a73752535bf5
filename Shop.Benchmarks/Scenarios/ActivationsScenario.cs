using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Report;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// What a sale leaves in the silo's memory: 100,000 idle InventoryGrain and 100,000 idle OrderGrain activations, the
/// GC heap each adds (full GC before each reading, through the management grain; the heap from the silo's /metrics),
/// and proof that idle ones go: after they stay idle, the management grain collects activations idle that long, and
/// the counts per grain type must fall (the silo's own collection does the same after its collection age).
/// The orders are activated by reading order numbers that have no row: an empty order; a real one adds its lines,
/// address and history.
/// </summary>
public static class ActivationsScenario
{
    public static async Task<List<ScenarioResult>> RunAsync(ScenarioContext context)
    {
        var silo = context.Deployment.SiloAddress is { } address ? new HttpClient { BaseAddress = address }
            : throw new ScenarioSkippedException("activations reads the silo's /metrics: only with the tool's own hosts");
        var grains = await context.Deployment.GrainsAsync();
        var management = grains.GetGrain<IManagementGrain>(0);
        var count = context.Sizes.Activations;
        var run = Guid.NewGuid().ToString("N")[..8];
        var admin = new OrderCaller("bench-admin", IsAdmin: true);

        var before = await FullGcHeapAsync(management, silo);
        var inventory = await LoadRunner.RunAsync("activate InventoryGrain", new(context.Options.Callers, null, count), async (_, i) =>
        {
            await grains.GetGrain<IInventoryGrain>($"bench-idle-{run}-{i}").GetLevelsAsync();
            return Outcome.Ok;
        });
        var afterInventory = await FullGcHeapAsync(management, silo);
        var orders = await LoadRunner.RunAsync("activate OrderGrain", new(context.Options.Callers, null, count), async (_, i) =>
        {
            await grains.GetGrain<IOrderGrain>($"9{run}{i:D10}").GetAsync(admin);
            return Outcome.Ok;
        });
        var afterOrders = await FullGcHeapAsync(management, silo);
        Console.WriteLine($"  {inventory}{Environment.NewLine}  {orders}");
        var perInventory = (afterInventory - before) / inventory.Operations;
        var perOrder = (afterOrders - afterInventory) / orders.Operations;
        var active = await CountsAsync(management);
        Console.WriteLine($"  GC heap {Mb(before)} → {Mb(afterInventory)} → {Mb(afterOrders)}: {perInventory:N0} B per idle InventoryGrain, {perOrder:N0} B per idle OrderGrain");

        // Idle for a while, then collect what has been idle that long: exactly what the silo's collector does at its age limit.
        var idle = TimeSpan.FromSeconds(context.Options.Smoke ? 2 : 10);
        await Task.Delay(idle);
        await management.ForceActivationCollection(idle / 2);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var left = await CountsAsync(management);
        var afterCollection = await FullGcHeapAsync(management, silo);
        Console.WriteLine($"  idle {idle.TotalSeconds:N0} s, collected: InventoryGrain {active.Inventory:N0} → {left.Inventory:N0}, " +
            $"OrderGrain {active.Orders:N0} → {left.Orders:N0} activations; GC heap {Mb(afterCollection)}; silo activations {await SiloMetrics.ActivationsAsync(silo):N0}");

        var notes = new List<string>
        {
            $"{perInventory:N0} B per idle InventoryGrain, {perOrder:N0} B per idle (empty) OrderGrain; heap {Mb(before)} → {Mb(afterOrders)} → {Mb(afterCollection)} after collection",
        };
        var collected = active.Inventory - left.Inventory >= count * 0.9 && active.Orders - left.Orders >= count * 0.9;
        if (!collected)
        {
            notes.Add($"idle activations were not collected: InventoryGrain {active.Inventory} → {left.Inventory}, OrderGrain {active.Orders} → {left.Orders}");
        }

        var all = new LoadResult("activations", context.Options.Callers, inventory.Operations + orders.Operations, inventory.Failures + orders.Failures,
            0, inventory.Elapsed + orders.Elapsed, [.. inventory.LatenciesMs.Concat(orders.LatenciesMs).Order()]);
        return [ScenarioResult.From("activations", all) with { AuditPassed = collected, Notes = notes }];
    }

    private static async Task<double> FullGcHeapAsync(IManagementGrain management, HttpClient silo)
    {
        var silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        await management.ForceGarbageCollection(silos);
        return await SiloMetrics.HeapAfterLastGcAsync(silo);
    }

    private static async Task<(long Inventory, long Orders)> CountsAsync(IManagementGrain management)
    {
        var stats = await management.GetSimpleGrainStatistics();
        long Count(string type) => stats.Where(s => s.GrainType.Split(',')[0].EndsWith(type, StringComparison.Ordinal)).Sum(s => (long)s.ActivationCount);
        return (Count(".InventoryGrain"), Count(".OrderGrain"));
    }

    private static string Mb(double bytes) => $"{bytes / 1024 / 1024:N1} MB";
}
