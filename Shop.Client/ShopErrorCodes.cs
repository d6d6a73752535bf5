namespace Shop.Client;

/// <summary>
/// The stable, machine-readable <c>code</c> of every problem-details response. Clients branch on these, never on
/// the human <c>title</c>/<c>detail</c> text, so a code once published is never renamed.
/// </summary>
public static class ShopErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string MalformedRequest = "MALFORMED_REQUEST";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string Conflict = "CONFLICT";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimited = "RATE_LIMITED";
    public const string RequestFailed = "REQUEST_FAILED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";

    /// <summary>503: the database could not serve the request (nothing was acknowledged); retry after <c>Retry-After</c>.</summary>
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";

    // Orders
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string ProductUnavailable = "PRODUCT_UNAVAILABLE";
    public const string OutOfStock = "OUT_OF_STOCK";
    public const string InvalidStateTransition = "INVALID_STATE_TRANSITION";
    public const string OrderNotFound = "ORDER_NOT_FOUND";

    /// <summary>The code used when a response carries no more specific one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => MalformedRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ValidationFailed,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => RequestFailed,
    };
}
