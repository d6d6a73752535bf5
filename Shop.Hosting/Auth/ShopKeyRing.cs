using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Hosting.Auth;

/// <summary>
/// The host's live key set. From configuration it never changes; from a key file (<c>Auth:KeysFile</c>) it is re-read
/// every <c>Auth:KeysFileReloadInterval</c> and swapped in whole, so a rotation reaches every host without a restart.
/// A file that does not parse (half-written, a typo) is logged and ignored: the last good set stays in force.
/// </summary>
public sealed class ShopKeyRing
{
    private volatile ShopKeySet _keys;
    private string? _lastText;

    public ShopKeyRing(ShopKeySet keys) => _keys = keys;

    private ShopKeyRing(ShopKeySet keys, string path, string text) : this(keys)
    {
        FilePath = path;
        _lastText = text;
    }

    public ShopKeySet Set => _keys;

    public string? FilePath { get; }

    /// <summary>Whether this host must keep a key it can sign with (it issues tokens): a reload without one is refused.</summary>
    public bool MustSign { get; set; }

    public static ShopKeyRing FromFile(string path)
    {
        var text = Read(path) ?? throw new ShopConfigurationException($"Auth:KeysFile {path} does not exist or cannot be read.");
        return new ShopKeyRing(ShopKeySet.ParseDocument(text, $"Auth:KeysFile {path}"), path, text);
    }

    /// <summary>Re-reads the key file; true when a new set took effect.</summary>
    public bool Reload(ILogger logger)
    {
        if (FilePath is null || Read(FilePath) is not { } text || text == _lastText)
        {
            return false;
        }

        _lastText = text;
        try
        {
            var keys = ShopKeySet.ParseDocument(text, $"Auth:KeysFile {FilePath}");
            if (MustSign && keys.Current is null)
            {
                throw new ShopConfigurationException($"Auth:KeysFile {FilePath} names no current key to sign with, and this host issues tokens.");
            }

            _keys = keys;
            logger.LogInformation("Token keys reloaded from {Path}: {KeyIds}, signing with {Current}",
                FilePath, string.Join(", ", keys.Keys.Select(k => k.KeyId)), keys.Current?.KeyId ?? "none");
            return true;
        }
        catch (ShopConfigurationException ex)
        {
            logger.LogError("Token key file {Path} not applied, the previous keys stay in force: {Problem}", FilePath, ex.Message);
            return false;
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// Polls the key file rather than watching it: a Kubernetes Secret volume swaps a symlink that file watchers miss, and a
/// small file read every few seconds costs nothing.
/// </summary>
internal sealed class ShopKeyFileReloader(ShopKeyRing ring, TimeSpan interval, ILogger<ShopKeyFileReloader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ring.Reload(logger);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
