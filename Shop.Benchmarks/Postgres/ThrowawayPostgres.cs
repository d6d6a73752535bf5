using System.Diagnostics;
using Npgsql;
using Shop.Benchmarks.Hosts;

namespace Shop.Benchmarks.Postgres;

/// <summary>
/// The benchmark's own PostgreSQL server from the Debian binaries: initdb into a temp dir, a free port, run as the
/// unprivileged <c>postgres</c> user when running as root; stopped and deleted at exit. Durable by default (what a
/// merchant runs); <c>--smoke</c> turns fsync off because it only checks that the scenarios and audits work.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string? _runAs;
    private bool _running;

    private ThrowawayPostgres(string bin, string root, int port, string? runAs)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _runAs = runAs;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_root, "data");

    public static async Task<ThrowawayPostgres> StartAsync(bool durable)
    {
        var bin = await FindBinDirectoryAsync();
        var root = Path.Combine(Path.GetTempPath(), "shop-bench-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
        {
            await ProcessRunner.RunAsync("chown", ["-R", runAs, root]);
        }

        var server = new ThrowawayPostgres(bin, root, FreePorts.Next(), runAs);
        try
        {
            await server.ExecAsync("initdb", "-D", server.Data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
            // Durable like the perf README: every commit waits for its WAL flush, torn pages are protected.
            var safety = durable
                ? "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nshared_buffers = 512MB"
                : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = 128MB";
            await File.AppendAllTextAsync(Path.Combine(server.Data, "postgresql.conf"), $"""

                listen_addresses = '127.0.0.1'
                port = {server.Port}
                unix_socket_directories = '{root}'
                max_connections = 300
                shared_preload_libraries = 'pg_stat_statements'
                pg_stat_statements.max = 2000
                {safety}
                """);
            await server.ExecAsync("pg_ctl", "-D", server.Data, "start", "-w", "-t", "60", "-l", Path.Combine(root, "server.log"));
            server._running = true;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running)
            {
                _running = false;
                await ExecAsync("pg_ctl", "-D", Data, "stop", "-m", "immediate", "-w", "-t", "30");
            }
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"stopping the throwaway PostgreSQL: {ex.Message}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(_root, recursive: true); }
            catch (IOException) { }
        }
    }

    private Task ExecAsync(string tool, params string[] args) => _runAs is null
        ? ProcessRunner.RunAsync(Path.Combine(_bin, tool), args)
        : ProcessRunner.RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args]);

    /// <summary>The newest installed version; waits a while when the binaries are being (re)installed right now.</summary>
    private static async Task<string> FindBinDirectoryAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var found = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
                : null;
            if (found is not null)
            {
                return found;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new InvalidOperationException(
                    "No PostgreSQL binaries under /usr/lib/postgresql/<version>/bin: install the Debian package 'postgresql' or set SHOP_TEST_POSTGRES.");
            }

            Console.Error.WriteLine("initdb not found under /usr/lib/postgresql; waiting for it to be installed...");
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
    }
}
