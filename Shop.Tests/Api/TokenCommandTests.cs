using System.Diagnostics;
using System.Text.Json;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

/// <summary>Runs the built Shop.Api as a process, the way an operator runs <c>dotnet run --project Shop.Api -- token</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class TokenCommandTests(ApiClusters clusters) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("shop-token-cli-");

    [Fact]
    public async Task Minted_token_is_accepted_by_the_host()
    {
        // Layered as the host reads it: appsettings.json, overridden by appsettings.{Environment}.json.
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "appsettings.json"), JsonSerializer.Serialize(new
        {
            Auth = new { SigningKey = "base-file-key-which-the-environment-file-overrides-0123", TestTokens.Issuer, TestTokens.Audience },
        }));
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "appsettings.Staging.json"), JsonSerializer.Serialize(new
        {
            Auth = new { SigningKey = TestTokens.SigningKey },
        }));

        var (exitCode, output, error) = await RunAsync(["token", "--sub", "cli-admin", "--role", "admin", "--minutes", "5"], []);

        Assert.True(exitCode == 0, error);
        var token = output.Trim();
        Assert.Equal(3, token.Split('.').Length);

        var api = (await clusters.Testing).CreateApi(token);
        var me = await api.GetMeAsync();
        Assert.Equal("cli-admin", me.Sub);
        Assert.Equal([ShopRoles.Admin], me.Roles);
        Assert.Equal("cli-admin", (await api.AdminPingAsync()).Sub);

        // Environment variables override both files: a token signed with another key is refused by this host.
        var (_, otherOutput, _) = await RunAsync(["token", "--sub", "cli-admin", "--role", "admin"],
            new() { ["Auth__SigningKey"] = "environment-key-unknown-to-the-test-host-0123456789" });
        using var refused = await (await clusters.Testing).CreateClient(otherOutput.Trim()).GetAsync("/api/me");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("token", "--sub", "u1", "--role", "root")]
    [InlineData("token", "--sub", "u1", "--role", "admin", "--minutes", "soon")]
    [InlineData("token", "--role", "admin")]
    [InlineData("token", "--sub", "u1", "--role", "admin", "--minutes", "100000")]
    public async Task Invalid_arguments_print_usage_and_no_token(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args, new() { ["Auth__SigningKey"] = TestTokens.SigningKey });
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("usage: token", error);
    }

    [Fact]
    public async Task Missing_signing_key_is_a_configuration_error()
    {
        var (exitCode, output, error) = await RunAsync(["token", "--sub", "u1", "--role", "admin"], []);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains("Auth:SigningKey", error);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string> environment) =>
        RunAsync(_directory.FullName, args, environment);

    /// <summary>The built Shop.Api run as a process in <paramref name="workingDirectory"/>, in the Staging environment, with no inherited Auth__* variables.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Shop.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Staging";
        start.Environment["DOTNET_ENVIRONMENT"] = "Staging";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
