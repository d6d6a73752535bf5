namespace Shop.Grains.Interfaces.PersonalData;

/// <summary>
/// A customer's erasure request (key: <see cref="ErasureKeys.LookupKey"/> of the user id, so the stored row never
/// names the user once the request is complete). Durable: a pending request is taken up again by the personal-data
/// sweep after restarts until every order is erased.
/// </summary>
[Alias("Shop.PersonalData.IErasureGrain")]
public interface IErasureGrain : IGrainWithStringKey
{
    /// <summary>Starts erasing (or returns the pending request: asking again changes nothing); erases what may go now.</summary>
    [Alias("Request")]
    Task<ErasureRequestView> RequestAsync(string userId, string requestedBy);

    /// <summary>The latest request, or null when none was made.</summary>
    [Alias("Get")]
    Task<ErasureRequestView?> GetAsync();

    /// <summary>Erases the orders whose window has closed since (the sweep calls it when the request is due).</summary>
    [Alias("Continue")]
    Task ContinueAsync();
}

/// <summary>The cluster's one personal-data sweep (key <see cref="Key"/>): due erasure requests and the retention job.</summary>
[Alias("Shop.PersonalData.IPersonalDataSweepGrain")]
public interface IPersonalDataSweepGrain : IGrainWithStringKey
{
    public const string Key = "personal-data";

    [Alias("Start")]
    Task StartAsync();

    /// <summary>One run now: continues the due erasure requests, then anonymises a bounded number of expired orders.</summary>
    [Alias("Sweep")]
    Task<PersonalDataSweepResult> SweepAsync();
}

[GenerateSerializer, Immutable, Alias("Shop.PersonalData.PersonalDataSweepResult")]
public sealed record PersonalDataSweepResult([property: Id(0)] int ErasuresContinued, [property: Id(1)] int OrdersAnonymised);

/// <summary>What an order grain does for erasure and retention (implemented by the order grain itself).</summary>
[Alias("Shop.PersonalData.IOrderErasureGrain")]
public interface IOrderErasureGrain : IGrainWithStringKey
{
    /// <summary>
    /// Erases the order's personal fields and puts <paramref name="pseudonym"/> in place of <paramref name="userId"/>,
    /// unless the order is still in a payment, refund or after-sales window (then Waiting, with until when).
    /// </summary>
    [Alias("Erase")]
    Task<OrderErasureOutcome> EraseAsync(string userId, string pseudonym);

    /// <summary>
    /// Retention: blanks the shipping details, remark and after-sales notes of a finished order last changed before
    /// <paramref name="cutoff"/> (the customer's id stays: the account still exists). Null when there was nothing to do.
    /// </summary>
    [Alias("AnonymiseExpired")]
    Task<OrderErasureOutcome?> AnonymiseExpiredAsync(DateTimeOffset cutoff);
}

/// <summary>Erasure of the other grains that hold something of a customer: after-sales requests, the cart, the payment.</summary>
[Alias("Shop.PersonalData.IPersonalDataHolderGrain")]
public interface IPersonalDataHolderGrain : IGrainWithStringKey
{
    /// <summary>Removes the personal fields this grain holds, putting <paramref name="pseudonym"/> where the user id was (null: the id stays).</summary>
    [Alias("ErasePersonalData")]
    Task ErasePersonalDataAsync(string? pseudonym);
}

public static class ErasureKeys
{
    /// <summary>Prefix of erasure request ids and pseudonyms.</summary>
    public const string RequestPrefix = "er";
    public const string PseudonymPrefix = "anon:";

    /// <summary>SHA-256 of the user id (hex): the request's key, so the customer finds it while the row never holds the id itself.</summary>
    public static string LookupKey(string userId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userId)));

    /// <summary>A random pseudonym, not derivable from the user id: accounting records keep it so an order's history stays one customer's.</summary>
    public static string NewPseudonym() => PseudonymPrefix + Ids.RandomId.New("px");
}
