using System.Reflection;
using System.Text.RegularExpressions;
using Shop.Hosting;

namespace Shop.Tests.Deploy;

/// <summary>
/// <see cref="ShopConfigurationKeys"/> (what deployments are checked against) matches the code both ways: every listed
/// key is read (a property of the options class bound to its section, or a literal the code looks up), and every
/// property of a bound options class is listed.
/// </summary>
public sealed partial class ConfigurationKeyTests
{
    /// <summary>Sections bound to options classes (Bind/BindConfiguration/AddWeChatPay of that section).</summary>
    private static readonly Dictionary<string, Type> BoundSections = new(StringComparer.Ordinal)
    {
        ["Orders"] = typeof(Shop.Grains.Orders.OrderOptions),
        ["Orders:Numbers"] = typeof(Shop.Grains.Orders.OrderNumberOptions),
        ["Payments"] = typeof(Shop.Grains.Payments.WeChatPay.PaymentOptions),
        ["Reconciliation"] = typeof(Shop.Grains.Payments.Reconciliation.ReconciliationOptions),
        ["Catalog"] = typeof(Shop.Grains.Catalog.CatalogOptions),
        ["WeChatPay"] = typeof(Shop.WeChatPay.WeChatPayOptions),
        ["WeChatLogin"] = typeof(Shop.Api.Auth.WeChatLoginOptions),
        ["Simulator"] = typeof(Shop.WeChatPay.Simulator.Configuration.SimulatorOptions),
        ["Simulator:Bills"] = typeof(Shop.WeChatPay.Simulator.Bills.BillOptions),
        ["Dashboard"] = typeof(Orleans.Dashboard.DashboardOptions),
        ["Hoarding"] = typeof(Shop.Grains.Campaigns.HoardingOptions),
        ["Campaigns"] = typeof(Shop.Grains.Campaigns.CampaignOptions),
        ["Fulfilment"] = typeof(Shop.Grains.Fulfilment.FulfilmentOptions),
        ["WeChatMiniProgram"] = typeof(Shop.WeChatPay.MiniProgram.WeChatMiniProgramOptions),
        ["Shipping"] = typeof(Shop.Grains.Shipping.ShippingOptions),
    };

    /// <summary>Read by ASP.NET Core itself (server URLs, host filtering, logging levels).</summary>
    private static readonly HashSet<string> FrameworkKeys = ["Urls", "AllowedHosts", "Logging:*"];

    private static readonly Lazy<string> Sources = new(() => string.Join('\n',
        new[] { "Shop.Hosting", "Shop.Silo", "Shop.Api", "Shop.Grains", "Shop.WeChatPay", "Shop.WeChatPay.Simulator" }
            .SelectMany(p => Directory.GetFiles(Repository.PathOf(p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith("ShopConfigurationKeys.cs", StringComparison.Ordinal))
            .Select(File.ReadAllText)));

    [Fact]
    public void Every_listed_key_is_read_by_the_code()
    {
        var unread = ShopConfigurationKeys.All.Where(key => !IsRead(key)).ToList();

        Assert.Equal([], unread);
    }

    [Fact]
    public void Every_property_of_a_bound_options_class_is_listed()
    {
        var missing = BoundSections
            .Where(s => s.Value.Namespace!.StartsWith("Shop.", StringComparison.Ordinal))
            .SelectMany(s => Settable(s.Value).Select(p => s.Key + ":" + p.Name))
            .Where(key => !ShopConfigurationKeys.IsKnown(key) && !ShopConfigurationKeys.IsKnown(key + ":x")
                && !BoundSections.ContainsKey(key))
            .ToList();

        Assert.Equal([], missing);
    }

    [Fact]
    public void Known_keys_accept_both_spellings_and_named_children_but_not_strangers()
    {
        Assert.True(ShopConfigurationKeys.IsKnown("Orleans__ClusterId"));
        Assert.True(ShopConfigurationKeys.IsKnown("Orleans:ClusterId"));
        Assert.True(ShopConfigurationKeys.IsKnown("Orders__PersonalDataKeys__k1"));
        Assert.False(ShopConfigurationKeys.IsKnown("Orders__PersonalDataKeys"));
        Assert.False(ShopConfigurationKeys.IsKnown("Orleans__ClusterID_"));
        Assert.False(ShopConfigurationKeys.IsKnown("Inventory__OutcomeRetention"));
    }

    private static bool IsRead(string key)
    {
        if (FrameworkKeys.Contains(key))
        {
            return true;
        }

        var parts = key.Split(':');
        var named = parts[^1] == "*" ? parts[..^1] : parts;
        var section = string.Join(':', named[..^1]);
        if (BoundSections.TryGetValue(section, out var options) && Settable(options).Any(p => p.Name == named[^1]))
        {
            return true;
        }

        // Read by name: the whole key, or its last segment inside a section read elsewhere, appears as a literal.
        var leaf = Regex.Escape(named[^1]);
        return Regex.IsMatch(Sources.Value, $"\"[^\"\\n]*\\b{leaf}\\b[^\"\\n]*\"");
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true);
}
