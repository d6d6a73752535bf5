namespace Shop.Grains.Interfaces.Orders;

/// <summary>Where an order goes, in clear text. Only ever held in memory; stored as <see cref="ProtectedShippingAddress"/>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.ShippingAddress")]
public sealed record ShippingAddress(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Province,
    [property: Id(3)] string City,
    [property: Id(4)] string District,
    [property: Id(5)] string Detail,
    [property: Id(100)] string? RegionCode = null)
{
    /// <summary>Masked, so that logging the record (or an exception message that includes it) never leaks it.</summary>
    public override string ToString() =>
        $"{PersonalDataMask.Name(Name)} {PersonalDataMask.Phone(Phone)} {PersonalDataMask.Address(Province, City, District, Detail)}";
}

/// <summary>
/// The stored form: name, phone and street detail are AES-256-GCM ciphertexts ("keyId:base64"); the region stays in
/// clear text for shipping rules and reports, with its GB/T 2260 district code (null on orders made before the code).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.ProtectedShippingAddress")]
public sealed record ProtectedShippingAddress(
    [property: Id(0)] string Name,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Province,
    [property: Id(3)] string City,
    [property: Id(4)] string District,
    [property: Id(5)] string Detail,
    [property: Id(100)] string? RegionCode = null);
