using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Shop.Hosting;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// An Orleans client of the cluster, found the way Shop.Api finds it (ADO.NET clustering in the shared PostgreSQL), so
/// grain scenarios call the grain interfaces across the network like the API does.
/// </summary>
public sealed class GrainClient : IAsyncDisposable
{
    private readonly IHost _host;

    private GrainClient(IHost host) => _host = host;

    public IClusterClient Cluster => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<GrainClient> ConnectAsync(string connectionString, string clusterId, string serviceId)
    {
        var host = new HostBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ShopDatabase.Invariant;
                    o.ConnectionString = connectionString;
                });
            })
            .Build();
        await host.StartAsync();
        return new GrainClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
