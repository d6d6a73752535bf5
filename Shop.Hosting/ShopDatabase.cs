using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.Hosting;

/// <summary>
/// The one switch that decides persistence: <c>ConnectionStrings:Shop</c>. Set, everything lives in PostgreSQL;
/// unset, the embedded defaults (localhost clustering, memory storage) run and nothing survives a restart.
/// </summary>
public sealed record ShopDatabase(string ConnectionString)
{
    public const string ConnectionStringName = "Shop";

    /// <summary>
    /// Connections one host may hold (<c>Database:MaxPoolSize</c>): 5 hosts fit PostgreSQL's default
    /// <c>max_connections = 100</c> with room for an operator. Group commit keeps the need small.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>This host's connection budget, shared by every pool it opens (see <see cref="SplitAcross"/>).</summary>
    public int MaxPoolSize { get; init; } = DefaultMaxPoolSize;

    /// <summary>The ADO.NET invariant the Orleans providers use for PostgreSQL.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Reads and validates the connection string; null when persistence is not configured.</summary>
    public static ShopDatabase? FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(raw);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new ShopConfigurationException(
                    $"ConnectionStrings:{ConnectionStringName} has no Host. Example: Host=127.0.0.1;Port=5432;Database=shop;Username=shop;Password=...");
            }

            var budget = MaxPoolSizeFrom(configuration);
            builder.MaxPoolSize = budget;
            return new ShopDatabase(WithHotPathDefaults(builder, raw).ConnectionString) { MaxPoolSize = budget };
        }
        catch (ArgumentException ex)
        {
            throw new ShopConfigurationException(
                $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The connection string for a host that opens <paramref name="pools"/> pools from it (Npgsql keeps one per data
    /// source, and one for plain connections): each gets an equal share of the budget, so together they never hold more
    /// than <see cref="MaxPoolSize"/>. A missing <c>Application Name</c> becomes <paramref name="applicationName"/>, so
    /// that <c>pg_stat_activity</c> shows who holds the connections.
    /// </summary>
    public ShopDatabase SplitAcross(int pools, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = Math.Max(1, MaxPoolSize / pools) };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = applicationName;
        }

        return this with { ConnectionString = builder.ConnectionString };
    }

    private static int MaxPoolSizeFrom(IConfiguration configuration)
    {
        var raw = configuration["Database:MaxPoolSize"];
        if (raw is null)
        {
            return DefaultMaxPoolSize;
        }

        return int.TryParse(raw, out var size) && size is >= 4 and <= 1000
            ? size
            : throw new ShopConfigurationException($"Database:MaxPoolSize '{raw}' is not a whole number from 4 to 1000.");
    }

    /// <summary>
    /// Settings that halve what PostgreSQL spends per statement on the order path, unless the operator set them: no
    /// DISCARD ALL (a full session reset) every time a pooled connection is handed back, and statements that run often
    /// are prepared once per connection instead of parsed and planned every time. Nothing of ours relies on the reset:
    /// no session settings, temp tables or session locks on pooled connections (the schema migrator's lock uses its
    /// own unpooled connection).
    /// </summary>
    private static NpgsqlConnectionStringBuilder WithHotPathDefaults(NpgsqlConnectionStringBuilder builder, string raw)
    {
        bool Given(string keyword) => raw.Contains(keyword, StringComparison.OrdinalIgnoreCase)
            || raw.Contains(keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        if (!Given("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Given("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Given("Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder;
    }

    /// <summary>Fails fast, with a message an operator can act on, when the database cannot be reached.</summary>
    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new ShopConfigurationException(
                $"PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}') is not reachable: {ex.Message}", ex);
        }
    }

    public static void WarnNotPersisted(ILogger logger, string process) =>
        logger.LogWarning(
            "{Process}: ConnectionStrings:Shop is not set: using embedded defaults (localhost clustering, in-memory storage and reminders). NOTHING IS PERSISTED.",
            process);
}

/// <summary>A configuration error found at startup; the host prints the message and exits instead of a stack trace.</summary>
public sealed class ShopConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
