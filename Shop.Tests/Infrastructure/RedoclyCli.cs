using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Redocly CLI (<c>@redocly/cli</c> from npm), pinned, installed by the tests themselves into the test output on first
/// use, so plain <c>dotnet test</c> on a clean clone lints the OpenAPI document; later runs reuse that install.
/// Needs Node.js (20.19+ or 22.12+, the engines of the pinned version) and npm on the PATH; without them the lint
/// test fails with a message saying so rather than passing without linting.
/// </summary>
public static class RedoclyCli
{
    /// <summary>Pinned: a newer ruleset may add rules, and a lint that changes by itself is not a regression test.</summary>
    public const string Version = "2.77.0";

    /// <summary>The oldest Node.js the pinned version's engines accept (">=20.19.0 &lt;21 || >=22.12.0").</summary>
    private static readonly System.Version MinimumNode = new(20, 19, 0);

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string InstallDirectory => Path.Combine(AppContext.BaseDirectory, "tools", $"redocly-cli-{Version}");

    private static string CliScript => Path.Combine(InstallDirectory, "node_modules", "@redocly", "cli", "bin", "cli.js");

    /// <summary>Lints <paramref name="documentPath"/> with <paramref name="configPath"/> and returns the JSON report.</summary>
    public static async Task<RedoclyReport> LintAsync(string documentPath, string configPath)
    {
        await EnsureInstalledAsync();
        var result = await RunAsync("node", [CliScript, "lint", "--format=json", "--config", configPath, documentPath], TimeSpan.FromMinutes(2));

        // Exit code 1 means "problems found"; the JSON on stdout says which. Anything else (no JSON) is a broken run.
        var start = result.StdOut.IndexOf('{');
        if (start < 0)
        {
            throw new InvalidOperationException($"Redocly lint gave no report (exit {result.ExitCode}).\n{result.StdOut}\n{result.StdErr}");
        }

        return JsonSerializer.Deserialize<RedoclyReport>(result.StdOut[start..], new JsonSerializerOptions(JsonSerializerDefaults.Web))
               ?? throw new InvalidOperationException("Redocly lint printed an empty report.");
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(CliScript))
            {
                return;
            }

            var node = (await RunAsync("node", ["--version"], TimeSpan.FromSeconds(30))).StdOut.Trim();
            if (!System.Version.TryParse(node.TrimStart('v'), out var nodeVersion) || nodeVersion < MinimumNode)
            {
                throw new InvalidOperationException(
                    $"Node.js {node} is too old for @redocly/cli@{Version}, which the OpenAPI lint test runs: install Node.js {MinimumNode}+ (or 22.12+).");
            }

            // Installed next to the final folder and moved into place, so an interrupted install is never taken for a good one.
            var staging = InstallDirectory + ".staging-" + Guid.NewGuid().ToString("N")[..8];
            Directory.CreateDirectory(staging);
            try
            {
                await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                    ["install", "--prefix", staging, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", $"@redocly/cli@{Version}"],
                    TimeSpan.FromMinutes(5), expectSuccess: true);
                if (Directory.Exists(InstallDirectory))
                {
                    Directory.Delete(InstallDirectory, recursive: true);
                }

                Directory.Move(staging, InstallDirectory);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<ProcessResult> RunAsync(string file, string[] arguments, TimeSpan timeout, bool expectSuccess = false)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                // A test run sends nothing home and looks for no updates.
                ["REDOCLY_TELEMETRY"] = "off",
                ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
                ["NPM_CONFIG_UPDATE_NOTIFIER"] = "false",
            },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{file}' was not found ({ex.Message}). The OpenAPI lint test needs Node.js 20.19+ (or 22.12+) and npm on the PATH " +
                $"to run @redocly/cli@{Version}: install them (e.g. 'apt-get install nodejs npm' or https://nodejs.org) and run the tests again.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }

            var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
            if (expectSuccess && result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{file} {string.Join(' ', arguments)} failed (exit {result.ExitCode}); is the npm registry reachable?\n{result.StdOut}\n{result.StdErr}");
            }

            return result;
        }
    }

    private sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);
}

public sealed record RedoclyReport(RedoclyTotals Totals, string Version, IReadOnlyList<RedoclyProblem> Problems);

public sealed record RedoclyTotals(int Errors, int Warnings, int Ignored);

public sealed record RedoclyProblem(string RuleId, string Severity, string Message, IReadOnlyList<RedoclyLocation> Location)
{
    public override string ToString() => $"{Severity} {RuleId} at {string.Join(", ", Location.Select(l => l.Pointer))}: {Message}";
}

public sealed record RedoclyLocation(string Pointer);
