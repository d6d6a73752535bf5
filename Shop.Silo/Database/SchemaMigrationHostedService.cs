using Shop.Hosting;

namespace Shop.Silo.Database;

/// <summary>Runs before the Orleans silo starts: check the database is reachable, then bring its schema up to date.</summary>
internal sealed class SchemaMigrationHostedService(ShopDatabase database, ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.EnsureReachableAsync(cancellationToken);
        await new SchemaMigrator(database.ConnectionString, SchemaMigrator.DefaultScriptDirectory, logger).MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
