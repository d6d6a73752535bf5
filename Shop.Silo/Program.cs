using Shop.Hosting;
using Shop.Silo.Database;
using Shop.Silo.Hosting;

if (MigrateCommand.IsInvoked(args))
{
    return await ShopHost.RunAsync(() => MigrateCommand.RunAsync(args));
}

return await ShopHost.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddShopSilo();
    var app = builder.Build();
    app.MapShopSilo();
    await app.RunAsync();
});
