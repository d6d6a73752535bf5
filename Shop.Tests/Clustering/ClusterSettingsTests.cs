using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Clustering;

public sealed class ClusterSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void Defaults_need_two_votes_of_three_probed_silos_and_listen_on_the_advertised_address_only()
    {
        var options = ShopClusterOptions.FromConfiguration(Config());

        Assert.False(options.ListenOnAnyHostAddress);
        Assert.Equal(2, options.Membership.NumVotesForDeathDeclaration);
        Assert.Equal(3, options.Membership.NumProbedSilos);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Membership.ProbeTimeout);
        Assert.Equal(3, options.Membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromMinutes(15), options.CollectionAge);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    [Fact]
    public void Every_cluster_setting_is_read_from_configuration()
    {
        var options = ShopClusterOptions.FromConfiguration(Config(
            ("Orleans:ListenOnAnyHostAddress", "true"),
            ("Orleans:Membership:ProbeTimeout", "00:00:03"),
            ("Orleans:Membership:NumMissedProbesLimit", "4"),
            ("Orleans:Membership:NumVotesForDeathDeclaration", "3"),
            ("Orleans:Membership:NumProbedSilos", "5"),
            ("Orleans:Membership:TableRefreshTimeout", "00:00:07"),
            ("Orleans:Membership:IAmAliveTablePublishTimeout", "00:00:09"),
            ("Orleans:CollectionAge", "00:30:00"),
            ("Orleans:ShutdownTimeout", "00:01:00")));

        Assert.True(options.ListenOnAnyHostAddress);
        Assert.Equal(new ShopMembershipOptions
        {
            ProbeTimeout = TimeSpan.FromSeconds(3), NumMissedProbesLimit = 4, NumVotesForDeathDeclaration = 3, NumProbedSilos = 5,
            TableRefreshTimeout = TimeSpan.FromSeconds(7), IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(9),
        }, options.Membership);
        Assert.Equal(TimeSpan.FromMinutes(30), options.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ShutdownTimeout);
    }

    [Theory]
    [InlineData("Orleans:Membership:ProbeTimeout", "soon")]
    [InlineData("Orleans:Membership:NumVotesForDeathDeclaration", "4")]
    [InlineData("Orleans:Membership:NumProbedSilos", "0")]
    [InlineData("Orleans:ListenOnAnyHostAddress", "yes")]
    [InlineData("Orleans:ShutdownTimeout", "-00:00:01")]
    public void A_wrong_cluster_setting_stops_startup_naming_the_key(string key, string value)
    {
        var error = Assert.Throws<ShopConfigurationException>(() => ShopClusterOptions.FromConfiguration(Config((key, value))));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void The_pool_budget_caps_every_pool_of_a_host_together()
    {
        var config = Config(("ConnectionStrings:Shop", "Host=db;Database=shop;Maximum Pool Size=100"));
        var database = ShopDatabase.FromConfiguration(config)!;
        Assert.Equal(ShopDatabase.DefaultMaxPoolSize, new NpgsqlConnectionStringBuilder(database.ConnectionString).MaxPoolSize);

        var silo = new NpgsqlConnectionStringBuilder(database.SplitAcross(pools: 4, "shop-silo").ConnectionString);
        Assert.Equal(5, silo.MaxPoolSize);
        Assert.Equal("shop-silo", silo.ApplicationName);

        var configured = ShopDatabase.FromConfiguration(Config(("ConnectionStrings:Shop", "Host=db"), ("Database:MaxPoolSize", "40")))!;
        Assert.Equal(40, new NpgsqlConnectionStringBuilder(configured.ConnectionString).MaxPoolSize);
        Assert.Throws<ShopConfigurationException>(() => ShopDatabase.FromConfiguration(Config(("ConnectionStrings:Shop", "Host=db"), ("Database:MaxPoolSize", "2"))));
    }

    [Fact]
    public async Task Silo_and_gateway_ports_listen_on_the_advertised_address_only_unless_told_otherwise()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false);
        var silo = cluster.Silos[0];
        var membership = silo.App.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(2, membership.NumVotesForDeathDeclaration);

        // 127.0.0.2 is this machine too (all of 127/8 is loopback) but not the advertised 127.0.0.1.
        Assert.True(await AcceptsAsync(IPAddress.Loopback, silo.GatewayPort));
        Assert.False(await AcceptsAsync(IPAddress.Parse("127.0.0.2"), silo.GatewayPort));

        cluster.Settings["Orleans:ListenOnAnyHostAddress"] = "true";
        var open = await cluster.StartSiloAsync();
        Assert.True(await AcceptsAsync(IPAddress.Parse("127.0.0.2"), open.GatewayPort));
    }

    private static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
