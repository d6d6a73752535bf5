using System.Collections.Concurrent;
using System.Diagnostics;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// A built host (<c>dotnet Shop.Silo.dll</c>, ...) run as a child process from its own output folder, as a deployment
/// runs it: its own GC and thread pool, its own pid for <c>perf</c> or <c>dotnet-counters</c>. Output goes to a log file.
/// </summary>
/// <remarks>
/// The tests' Shop.Tests/Cluster/ChildHost.cs is its twin, on purpose: this tool must not depend on test code, and a
/// child-process runner is no product code to put in Shop.Hosting (which ships in every image).
/// </remarks>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly StreamWriter _log;

    private HostProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public static HostProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built: dotnet build Shop.sln -c {BuildOutput.Configuration}");
        }

        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        Running[process.Id] = process;
        var host = new HostProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => host.Write(e.Data);
        process.ErrorDataReceived += (_, e) => host.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
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

    /// <summary>Waits until <paramref name="probe"/> answers 200; fails early (with the log's tail) if the host exits.</summary>
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
                if ((await http.GetAsync(probe)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} not ready at {probe} after {timeout.TotalSeconds:N0} s:{Environment.NewLine}{Tail()}");
    }

    public string Tail(int lines = 30)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
    }

    /// <summary>SIGTERM first, so the silo leaves the cluster cleanly; killed if it has not exited in 20 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString()]);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (Exception)
            {
                KillQuietly(_process);
            }
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    /// <summary>For a crash or Ctrl-C of the tool itself: no child host outlives it.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            KillQuietly(process);
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
