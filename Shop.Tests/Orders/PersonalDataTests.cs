using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

public sealed class PersonalDataTests
{
    private static readonly string K1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string K2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly ShippingAddress Address = new("张三", "13812341234", "广东省", "深圳市", "南山区", "科技园路1号 A座 1001");

    private static PersonalDataProtector FromSettings(params (string Key, string? Value)[] settings) =>
        PersonalDataProtector.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build());

    private static PersonalDataProtector OnlyK1() =>
        FromSettings(("Orders:PersonalDataKeys:k1", K1), ("Orders:PersonalDataActiveKeyId", "k1"));

    private static PersonalDataProtector K1AndK2(string active) =>
        FromSettings(("Orders:PersonalDataKeys:k1", K1), ("Orders:PersonalDataKeys:k2", K2), ("Orders:PersonalDataActiveKeyId", active));

    [Fact]
    public void An_address_round_trips_and_its_stored_form_shows_no_personal_data()
    {
        var protector = OnlyK1();

        var stored = protector.Protect(Address, "2026112700000000000000000001");

        Assert.Equal(Address, protector.Unprotect(stored, "2026112700000000000000000001"));
        foreach (var field in new[] { stored.Name, stored.Phone, stored.Detail })
        {
            Assert.StartsWith("k1:", field, StringComparison.Ordinal);
            Assert.DoesNotContain("张三", field, StringComparison.Ordinal);
            Assert.DoesNotContain("1234", field[3..], StringComparison.Ordinal);
        }

        Assert.Equal(("广东省", "深圳市", "南山区"), (stored.Province, stored.City, stored.District));
        Assert.NotEqual(stored, protector.Protect(Address, "2026112700000000000000000001"));
    }

    [Fact]
    public void After_rotation_old_values_stay_readable_and_new_ones_use_the_new_key()
    {
        var old = OnlyK1().Protect(Address, "o1");

        var rotated = K1AndK2(active: "k2");
        var fresh = rotated.Protect(Address, "o2");

        Assert.Equal(Address, rotated.Unprotect(old, "o1"));
        Assert.StartsWith("k2:", fresh.Phone, StringComparison.Ordinal);
        Assert.Equal(Address, rotated.Unprotect(fresh, "o2"));
        Assert.True(rotated.NeedsRotation(old));
        Assert.False(rotated.NeedsRotation(fresh));
        Assert.Throws<PersonalDataUnreadableException>(() => OnlyK1().Unprotect(fresh, "o2"));
    }

    [Fact]
    public void A_flipped_bit_anywhere_is_detected()
    {
        var protector = OnlyK1();
        var value = protector.Protect("13812341234", "ctx");
        var bytes = Convert.FromBase64String(value[3..]);

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<PersonalDataUnreadableException>(() => protector.Unprotect("k1:" + Convert.ToBase64String(tampered), "ctx"));
        }
    }

    [Fact]
    public void A_value_moved_to_another_order_or_field_does_not_decrypt()
    {
        var protector = OnlyK1();
        var stored = protector.Protect(Address, "order-a");

        Assert.Throws<PersonalDataUnreadableException>(() => protector.Unprotect(stored, "order-b"));
        Assert.Throws<PersonalDataUnreadableException>(() => protector.Unprotect(stored with { Name = stored.Phone }, "order-a"));
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("k9:AAAA")]
    [InlineData("k1:not base64!")]
    [InlineData("k1:AAAA")]
    public void Malformed_values_are_refused_with_a_clear_error(string value) =>
        Assert.Throws<PersonalDataUnreadableException>(() => OnlyK1().Unprotect(value, "ctx"));

    [Theory]
    [InlineData(null, "k1", "has no key")]
    [InlineData("c2hvcnQ=", "k1", "not the base64 of exactly 32 bytes")]
    [InlineData("K1", "k2", "must name one of the configured keys")]
    public void Unusable_key_settings_fail_with_a_message_naming_the_setting(string? key, string active, string message)
    {
        var error = Assert.Throws<ShopConfigurationException>(() =>
            FromSettings(("Orders:PersonalDataKeys:k1", key == "K1" ? K1 : key), ("Orders:PersonalDataActiveKeyId", active)));
        Assert.Contains(message, error.Message);
        Assert.Contains("Orders:PersonalData", error.Message);
    }

    [Theory]
    [InlineData("Orders:PersonalDataKeys:test", "Orders:PersonalDataKeys has no key")]
    [InlineData("Orders:NumberKey", "Orders:NumberKey is not set")]
    public async Task A_silo_without_order_secrets_does_not_start(string setting, string message)
    {
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() =>
            ShopTestCluster.StartAsync(withApi: false, embedded: true, configure: c => c.Settings[setting] = null));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("13812341234", "138****1234")]
    [InlineData("+8613812341234", "+86****1234")]
    [InlineData("12345", "****")]
    [InlineData(null, "****")]
    public void Phones_are_masked_to_their_ends(string? phone, string expected) => Assert.Equal(expected, PersonalDataMask.Phone(phone));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("John", "J***")]
    [InlineData("王", "*")]
    [InlineData("", "")]
    public void Names_keep_only_their_first_character(string name, string expected) => Assert.Equal(expected, PersonalDataMask.Name(name));

    [Fact]
    public void An_address_printed_anywhere_is_masked()
    {
        Assert.Equal("广东省深圳市南山区****", PersonalDataMask.Address("广东省", "深圳市", "南山区", "科技园路1号"));
        Assert.Equal("张* 138****1234 广东省深圳市南山区****", Address.ToString());
        Assert.DoesNotContain("科技园", $"{Address}", StringComparison.Ordinal);
    }
}
