using System.Diagnostics;
using Npgsql;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server started from the local binaries (initdb into a temp dir, random port), run as the
/// unprivileged <c>postgres</c> user when the tests run as root, and deleted afterwards.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _runAsUser;

    private PostgresServer(string binDirectory, string dataDirectory, int port, string? runAsUser)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        Port = port;
        _runAsUser = runAsUser;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public bool IsRunning { get; private set; }

    /// <param name="maxConnections">PostgreSQL's own default is 100; the shared test server allows many parallel clusters.</param>
    public static async Task<PostgresServer> StartNewAsync(int maxConnections = 2000)
    {
        var bin = FindBinDirectory();
        var root = Path.Combine(Path.GetTempPath(), "shop-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, root], null);
        }

        var data = Path.Combine(root, "data");
        var server = new PostgresServer(bin, data, FreePorts.Next(), runAs);
        await server.ExecAsync("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {server.Port}
            unix_socket_directories = '{root}'
            max_connections = {maxConnections}
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 128MB
            """);
        await server.StartAsync();
        return server;
    }

    public Task StartAsync() => PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "server.log"))
        .ContinueWith(t => { t.GetAwaiter().GetResult(); IsRunning = true; });

    public async Task StopAsync()
    {
        await PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");
        IsRunning = false;
    }

    /// <summary>
    /// A new database on this server, empty or a copy of <paramref name="template"/> (see
    /// <see cref="TestDatabase.CreateMigratedAsync"/>); returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix, string? template = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        // Every test cluster opens several pools; idle connections close within seconds once a cluster is gone.
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=50;Connection Idle Lifetime=5;Connection Pruning Interval=1";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsRunning)
            {
                await PgCtlAsync("stop", "-m", "immediate", "-w", "-t", "30");
            }
        }
        finally
        {
            try { Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true); }
            catch (IOException) { }
        }
    }

    private Task PgCtlAsync(params string[] args) => ExecAsync("pg_ctl", ["-D", _dataDirectory, .. args]);

    private Task ExecAsync(string tool, string[] args) => _runAsUser is null
        ? RunAsync(Path.Combine(_binDirectory, tool), args, null)
        : RunAsync("runuser", ["-u", _runAsUser, "--", Path.Combine(_binDirectory, tool), .. args], null);

    private static async Task RunAsync(string file, string[] args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "/" };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "No PostgreSQL binaries under /usr/lib/postgresql/<version>/bin. Install the Debian package 'postgresql' or set SHOP_TEST_POSTGRES.");
    }
}
