using Shop.Hosting;

namespace Shop.Silo.Database;

/// <summary><c>dotnet run --project Shop.Silo -- migrate</c>: apply the schema and exit, without starting a silo.</summary>
public static class MigrateCommand
{
    public static bool IsInvoked(string[] args) => args is ["migrate", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args[1..])
            .Build();
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggerFactory.CreateLogger("migrate");
        var database = ShopDatabase.FromConfiguration(configuration)
            ?? throw new ShopConfigurationException("migrate needs ConnectionStrings:Shop (e.g. environment variable ConnectionStrings__Shop).");
        await database.EnsureReachableAsync(CancellationToken.None);
        var version = await new SchemaMigrator(database.ConnectionString, SchemaMigrator.DefaultScriptDirectory, logger).MigrateAsync();
        Console.WriteLine($"Schema version {version}");
        return 0;
    }
}
