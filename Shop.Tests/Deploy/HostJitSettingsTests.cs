using System.Text.Json;
using Shop.Tests.Cluster;

namespace Shop.Tests.Deploy;

/// <summary>
/// The server hosts as built (and so as published into the images) promote hot methods without the runtime's
/// call-counting delay, and keep tiering and dynamic PGO: a silo that starts during a sale reaches optimized code
/// sooner, at the same warm speed (Directory.Build.props says why; README, Performance, the figures).
/// </summary>
public sealed class HostJitSettingsTests
{
    [Theory]
    [InlineData("Shop.Silo")]
    [InlineData("Shop.Api")]
    public void A_server_host_starts_promoting_hot_code_without_a_delay_and_keeps_dynamic_PGO(string project)
    {
        var path = Path.ChangeExtension(ChildHost.Dll(project), ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        // Without dynamic PGO the warm order paths over many SKUs cost 10-44% more silo CPU.
        Assert.False(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo) && !pgo.GetBoolean());
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered) && !tiered.GetBoolean());
    }
}
