using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.Tests.Infrastructure;
using Shop.Tests.Payments;

namespace Shop.Tests.PersonalData;

/// <summary>
/// The payments cluster (real silo and API on PostgreSQL, the WeChat Pay simulator for login and payment), with every
/// log message and scope of the silo and the API recorded from Debug up, for the export, audit and logging tests.
/// </summary>
public sealed class PersonalDataCluster : PaymentsCluster
{
    public LoggingCapture Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Orleans"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        ["Logging:LogLevel:System.Net.Http"] = "Information",
    };

    protected override void ConfigureHostServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        // Debug-level capture for the checks; the console (the test run's output) stays at its usual level.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public Task ExecuteAsync(string sql) => ScalarAsync<object>(sql + "; SELECT 1");

    public async Task<(HttpResponseMessage Response, JsonDocument? Body)> GetAsync(string token, string path, Action<HttpRequestHeaders>? headers = null)
    {
        using var client = Cluster.CreateClient(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsStreamAsync();
            return (response, body.CanRead ? await TryParseAsync(body) : null);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"GET {path} failed; the hosts' last warnings and errors:\n" + string.Join("\n", Logs.Entries.Where(e => e.Contains(" Error: ") || e.Contains(" Critical: ") || e.Contains("Warning: ")).TakeLast(5)), ex);
        }
    }

    private static async Task<JsonDocument?> TryParseAsync(Stream body)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        return buffer.Length == 0 ? null : JsonDocument.Parse(buffer.ToArray());
    }
}

[CollectionDefinition(Name)]
public sealed class PersonalDataCollection : ICollectionFixture<PersonalDataCluster>
{
    public const string Name = "personal-data";
}
