namespace Shop.Client.PersonalData;

/// <summary>Problem codes of personal-data exports and the operator access log.</summary>
public static class PersonalDataErrorCodes
{
    /// <summary>401: the export needs a login younger than <c>PersonalData:ExportReauthMaxAgeSeconds</c>; sign in again (wx.login) and retry.</summary>
    public const string ReauthenticationRequired = "REAUTHENTICATION_REQUIRED";

    /// <summary>429: the customer used up <c>PersonalData:ExportsPerDay</c>; <c>Retry-After</c> says when the next one is allowed.</summary>
    public const string ExportLimitReached = "EXPORT_LIMIT_REACHED";

    /// <summary>503: the access log could not record an operator's read, so the personal data was not shown; retry after <c>Retry-After</c>.</summary>
    public const string AccessLogUnavailable = "ACCESS_LOG_UNAVAILABLE";
}

/// <summary>One operator read of a customer's personal data.</summary>
public sealed record PersonalDataAccessResponse(
    long Id,
    DateTimeOffset At,
    string Admin,
    string Customer,
    string? OrderNo,
    IReadOnlyList<string> Fields,
    string Purpose,
    string? Reason,
    string? TraceId);

/// <summary>Newest first; pass <see cref="Next"/> as <c>before</c> for the next page (null: no more).</summary>
public sealed record PersonalDataAccessListResponse(IReadOnlyList<PersonalDataAccessResponse> Items, long? Next)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;
}
