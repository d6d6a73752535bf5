using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>Encrypts and decrypts an order's shipping address and remark, each field bound to the order and the field's name.</summary>
public static class ShippingAddressProtection
{
    public static ProtectedShippingAddress Protect(this PersonalDataProtector protector, ShippingAddress address, string orderNo) => new(
        protector.Protect(address.Name, Context(orderNo, "name")),
        protector.Protect(address.Phone, Context(orderNo, "phone")),
        address.Province,
        address.City,
        address.District,
        protector.Protect(address.Detail, Context(orderNo, "detail")),
        address.RegionCode);

    public static ShippingAddress Unprotect(this PersonalDataProtector protector, ProtectedShippingAddress address, string orderNo) => new(
        protector.Unprotect(address.Name, Context(orderNo, "name")),
        protector.Unprotect(address.Phone, Context(orderNo, "phone")),
        address.Province,
        address.City,
        address.District,
        protector.Unprotect(address.Detail, Context(orderNo, "detail")),
        address.RegionCode);

    /// <summary>True when any field is under a retired key, so the order should store a re-encrypted copy.</summary>
    public static bool NeedsRotation(this PersonalDataProtector protector, ProtectedShippingAddress address) =>
        !protector.IsUnderActiveKey(address.Name) || !protector.IsUnderActiveKey(address.Phone) || !protector.IsUnderActiveKey(address.Detail);

    public static string ProtectRemark(this PersonalDataProtector protector, string remark, string orderNo) =>
        protector.Protect(remark, Context(orderNo, "remark"));

    public static string UnprotectRemark(this PersonalDataProtector protector, string protectedRemark, string orderNo) =>
        protector.Unprotect(protectedRemark, Context(orderNo, "remark"));

    private static string Context(string orderNo, string field) => $"order:{orderNo}:shipping:{field}";
}
