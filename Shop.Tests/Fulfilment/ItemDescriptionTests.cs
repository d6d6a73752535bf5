using Shop.Grains.Fulfilment;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Tests.Fulfilment;

/// <summary>WeChat refuses an item_desc over 120 characters (10060009): a parcel of many long names must still upload.</summary>
public sealed class ItemDescriptionTests
{
    [Fact]
    public void Long_contents_are_cut_to_WeChats_120_characters_never_inside_a_character()
    {
        var lines = Enumerable.Range(1, 6).Select(k => new OrderLine($"p{k}", $"西湖龙井明前特级 250 g 礼盒装 🍵 第{k}款", 1_999, k)).ToList();

        var desc = ShippingInfoRequests.ItemDesc(lines.Select(l => new ParcelLine(l.Sku, l.Quantity)), lines);

        Assert.True(desc.Length <= ShippingInfoRequests.MaxItemDescLength, $"{desc.Length} characters");
        Assert.EndsWith("…", desc);
        Assert.StartsWith("西湖龙井明前特级 250 g 礼盒装 🍵 第1款*1;", desc);
        Assert.DoesNotContain(System.Text.Rune.ReplacementChar, desc.EnumerateRunes());
        Assert.False(char.IsHighSurrogate(desc[^2]));
    }

    [Fact]
    public void Short_contents_are_sent_whole_as_name_spec_times_quantity()
    {
        var lines = new List<OrderLine>
        {
            new("a", "Longjing 250 g", 12_800, 2),
            new("t", "T恤", 9_900, 1, "t-white-l", [new("颜色", "白"), new("尺码", "L")]),
        };

        Assert.Equal("Longjing 250 g*2;T恤 白/L*1", ShippingInfoRequests.ItemDesc(lines.Select(l => new ParcelLine(l.Sku, l.Quantity)), lines));
    }
}
