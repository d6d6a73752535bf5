using System.Text.Json;
using Shop.Tests.Cluster;

namespace Shop.Tests.Deploy;

/// <summary>
/// The server hosts as built (and so as published into the images) start with dynamic PGO off and no call-counting
/// delay: a silo that starts, restarts or joins during a sale reaches optimized code within seconds instead of selling at
/// about 60% of its warm rate for its first 20 s (Directory.Build.props says why; README, Performance, the figures).
/// </summary>
public sealed class HostJitSettingsTests
{
    [Theory]
    [InlineData("Shop.Silo")]
    [InlineData("Shop.Api")]
    public void A_server_host_starts_without_dynamic_PGO_and_without_a_call_counting_delay(string project)
    {
        var path = Path.ChangeExtension(ChildHost.Dll(project), ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        // Still tiered: quick code at start-up keeps a restarted silo's first answers fast.
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered) && !tiered.GetBoolean());
    }
}
