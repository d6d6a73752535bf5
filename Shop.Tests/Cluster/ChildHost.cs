using System.Diagnostics;
using System.Reflection;

namespace Shop.Tests.Cluster;

/// <summary>
/// A built host run as the README runs it, <c>dotnet Shop.Silo.dll</c> from its own output folder, as a child process
/// with its own environment; its output goes to a log file whose tail explains a failure. Whatever is still running at
/// dispose is killed, so a failing test leaves nothing behind.
/// </summary>
/// <remarks>
/// Shop.Benchmarks/Hosts/HostProcess.cs does the same for the benchmark tool, on purpose: the tool must not depend on
/// test code, and starting child processes is no product code (Shop.Hosting ships in every image). What both need of
/// the product, the merchant a local run makes, is shared from the simulator (<c>LocalMerchant</c>).
/// </remarks>
public sealed class ChildHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildHost(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildHost Start(string name, string project, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var dll = Dll(project);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var host = new ChildHost(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => host.Write(e.Data);
        process.ErrorDataReceived += (_, e) => host.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The project's build output in this test assembly's configuration (the test project references it).</summary>
    public static string Dll(string project)
    {
        var configuration = typeof(ChildHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln")))
            {
                var dll = Path.Combine(dir.FullName, project, "bin", configuration, "net10.0", project + ".dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"build Shop.sln -c {configuration} first", dll);
            }
        }

        throw new DirectoryNotFoundException($"Shop.sln not found above {AppContext.BaseDirectory}");
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    /// <summary>Waits until <paramref name="probe"/> answers 200; fails at once (with the log's tail) if the host exits.</summary>
    public async Task WaitReadyAsync(Uri probe, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited {_process.ExitCode} during startup:{Environment.NewLine}{Tail()}");
            }

            try
            {
                using var answer = await http.GetAsync(probe);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} not ready at {probe} after {timeout.TotalSeconds:N0} s:{Environment.NewLine}{Tail()}");
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or finish anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; returns how long the host took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await SignalTerminateAsync();
        await WaitForExitAsync(timeout);
        return clock.Elapsed;
    }

    /// <summary>Sends SIGTERM and returns at once (the host is then stopping).</summary>
    public async Task SignalTerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString() } })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the host to exit; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:N0} s:{Environment.NewLine}{Tail()}");
        }

        return _process.ExitCode;
    }

    public string Tail(int lines = 40)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
