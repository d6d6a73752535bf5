using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Clustering;

/// <summary>
/// With <c>Orleans:Tls:*</c> set, silos and the API talk mutual TLS with the cluster certificate; an Orleans client that
/// finds the gateways in the membership table but holds no certificate (or another one) cannot call a grain.
/// </summary>
public sealed class ClusterTlsTests
{
    [Fact]
    public async Task With_a_cluster_certificate_the_api_works_and_a_client_without_it_cannot_connect()
    {
        var directory = Directory.CreateTempSubdirectory("shop-tls-");
        try
        {
            var certificate = WriteSelfSigned(directory.FullName, "cluster", "pfx-password");
            await using var cluster = await ShopTestCluster.StartAsync(silos: 2, configure: c =>
            {
                c.Settings["Orleans:Tls:CertificatePath"] = certificate;
                c.Settings["Orleans:Tls:CertificatePassword"] = "pfx-password";
            });
            using var http = cluster.CreateClient(TestTokens.Admin());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/admin/ping")).StatusCode);

            await AssertCannotCallAsync(cluster, tls: null);
            var stranger = ShopClusterTls.FromConfiguration(Config(WriteSelfSigned(directory.FullName, "stranger", "other"), "other"));
            await AssertCannotCallAsync(cluster, stranger);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task AssertCannotCallAsync(ShopTestCluster cluster, ShopClusterTls? tls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, "shop-tests"));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ShopDatabase.Invariant, cluster.ConnectionString));
            if (tls is not null)
            {
                client.UseTls(tls.Certificate, tls.Configure);
            }
        });
        using var host = builder.Build();
        var attempt = async () =>
        {
            await host.StartAsync();
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        };
        // Refused at the handshake: the connection attempt fails, or no call is ever answered.
        await Assert.ThrowsAnyAsync<Exception>(() => attempt().WaitAsync(TimeSpan.FromSeconds(15)));
        try
        {
            await host.StopAsync(new CancellationToken(canceled: true));
        }
        catch (Exception)
        {
            // It never connected; stopping is all that matters.
        }
    }

    private static IConfiguration Config(string path, string password) => new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { ["Orleans:Tls:CertificatePath"] = path, ["Orleans:Tls:CertificatePassword"] = password }).Build();

    /// <summary>What the README's openssl commands make: a self-signed certificate with its key in a PKCS#12 file.</summary>
    private static string WriteSelfSigned(string directory, string name, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=shop-{name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
