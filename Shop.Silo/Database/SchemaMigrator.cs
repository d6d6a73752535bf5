using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Shop.Silo.Database;

/// <summary>
/// Applies <c>deploy/sql/NNNN_name.sql</c> in order, each once, each in its own transaction, and records what ran in
/// <c>shop_schema_migrations</c>. An advisory lock makes silos that start together take turns, so the schema is
/// upgraded once and never dropped.
/// </summary>
public sealed partial class SchemaMigrator(string connectionString, string scriptDirectory, ILogger logger)
{
    private const long AdvisoryLockKey = 0x5_4_0_9_5_4_0_9; // constant shared by every Shop process

    public static string DefaultScriptDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    public sealed record Script(int Version, string Name, string Sql, string Checksum);

    public IReadOnlyList<Script> LoadScripts()
    {
        if (!Directory.Exists(scriptDirectory))
        {
            throw new InvalidOperationException($"Schema scripts not found in {scriptDirectory}.");
        }

        var scripts = new List<Script>();
        foreach (var path in Directory.EnumerateFiles(scriptDirectory, "*.sql"))
        {
            var file = Path.GetFileName(path);
            var match = ScriptName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema script '{file}' is not named NNNN_name.sql.");
            }

            var sql = File.ReadAllText(path);
            scripts.Add(new Script(int.Parse(match.Groups[1].Value), match.Groups[2].Value, sql, Checksum(sql)));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two schema scripts share version {duplicate.Key}.");
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>Brings the database to the newest version; returns that version.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var scripts = LoadScripts();
        // Unpooled: the session lock below must end with this connection, never ride along in a pooled one.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS shop_schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = await AppliedAsync(connection, cancellationToken);
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        // An applied script must never change: new schema goes into a new, higher-numbered file.
                        logger.LogWarning("Schema script {Version}_{Name} differs from the one applied ({Applied} vs {Current})",
                            script.Version, script.Name, checksum, script.Checksum);
                    }

                    continue;
                }

                logger.LogInformation("Applying schema script {Version}_{Name}", script.Version, script.Name);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO shop_schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", cancellationToken,
                    ("v", script.Version), ("n", script.Name), ("c", script.Checksum));
                await transaction.CommitAsync(cancellationToken);
            }

            var version = scripts.Count == 0 ? 0 : scripts[^1].Version;
            logger.LogInformation("Database schema is at version {Version}", version);
            return version;
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>The highest applied version, or 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('shop_schema_migrations') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        var applied = await AppliedAsync(connection, cancellationToken);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM shop_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
