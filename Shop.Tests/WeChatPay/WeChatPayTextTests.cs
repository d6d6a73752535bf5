using System.Text;
using Shop.WeChatPay.Api;

namespace Shop.Tests.WeChatPay;

/// <summary>Cutting text to WeChat Pay's byte limits never leaves half a character behind.</summary>
public sealed class WeChatPayTextTests
{
    [Theory]
    [InlineData("short", 127, "short")]
    [InlineData("abcdef", 3, "abc")]
    // 3-byte characters: 7 bytes hold two of them, not two and a third of one.
    [InlineData("龙井龙井", 7, "龙井")]
    [InlineData("a龙井", 6, "a龙")]
    [InlineData("a龙井", 7, "a龙井")]
    // A surrogate pair (4 bytes in UTF-8) is kept whole or left out whole.
    [InlineData("ab😀c", 5, "ab")]
    [InlineData("ab😀c", 6, "ab😀")]
    [InlineData("é茶", 4, "é")]
    [InlineData("", 0, "")]
    [InlineData("茶", 0, "")]
    public void Cuts_at_the_last_whole_character_that_fits(string value, int maxBytes, string expected)
    {
        var cut = WeChatPayText.Truncate(value, maxBytes);

        Assert.Equal(expected, cut);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= maxBytes);
    }

    [Fact]
    public void Fifty_chinese_characters_become_the_forty_two_that_fit_in_a_description()
    {
        var name = new string('茶', 50);

        var cut = WeChatPayText.Truncate(name, WeChatPayText.MaxDescriptionBytes);

        Assert.Equal(new string('茶', 42), cut);
        Assert.Equal(126, Encoding.UTF8.GetByteCount(cut));
    }
}
