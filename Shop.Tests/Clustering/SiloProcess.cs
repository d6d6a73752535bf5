using System.Diagnostics;
using System.Text;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Clustering;

/// <summary>
/// The built silo (<c>dotnet Shop.Silo.dll</c> from its own output folder) as a child process, so that it can die the
/// way a production silo dies: SIGKILL, no goodbye in the membership table.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, int siloPort, Uri httpAddress)
    {
        _process = process;
        SiloPort = siloPort;
        HttpAddress = httpAddress;
    }

    public int SiloPort { get; }

    public Uri HttpAddress { get; }

    public static SiloProcess Start(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = SiloDll();
        var (siloPort, gatewayPort, httpPort) = (PostgresServer.FreePort(), PostgresServer.FreePort(), PostgresServer.FreePort());
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Shop"] = connectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = "shop-tests",
            ["Orleans__SiloPort"] = siloPort.ToString(),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(),
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["Orders__NumberKey"] = TestTokens.OrderNumberKey,
            ["Orders__PersonalDataActiveKeyId"] = "test",
            ["Orders__PersonalDataKeys__test"] = TestTokens.PersonalDataKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment.Concat(settings ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var silo = new SiloProcess(process, siloPort, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Until <c>/health/ready</c> answers 200 (an active member with its database); fails with the output if it exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                return (await http.GetAsync(new Uri(HttpAddress, "/health/ready"))).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, ready => ready, timeout, what: $"the silo on port {SiloPort} to be ready");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>SIGKILL: the process gets no chance to tell anyone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: a graceful stop leaves the membership table clean.
            Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>The repository's <c>Shop.Silo/bin/{configuration}/net10.0</c>, built with the tests (a project reference).</summary>
    private static string SiloDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln")))
            {
                var dll = Path.Combine(dir.FullName, "Shop.Silo", "bin", configuration, "net10.0", "Shop.Silo.dll");
                return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built: dotnet build Shop.sln");
            }
        }

        throw new InvalidOperationException($"Shop.sln not found above {AppContext.BaseDirectory}");
    }
}
