namespace Shop.Client.Fulfilment;

/// <summary>Problem codes of shipping (next to the shared ones in <see cref="ShopErrorCodes"/>). Stable: clients branch on them.</summary>
public static class FulfilmentErrorCodes
{
    /// <summary>422: the parcels do not hold exactly the order's lines (a product not in the order, a quantity off).</summary>
    public const string ShipmentLinesMismatch = "SHIPMENT_LINES_MISMATCH";

    /// <summary>409: the order's one correction of its parcels (WeChat's one re-upload per payment) was used.</summary>
    public const string ShippingReuploadUsed = "SHIPPING_REUPLOAD_USED";

    /// <summary>409: retry of a shipping upload that has not failed (none, pending, or uploaded).</summary>
    public const string ShippingUploadNotFailed = "SHIPPING_UPLOAD_NOT_FAILED";

    /// <summary>404: the order has no shipping-information upload (not shipped, or not a WeChat Pay mini-program order).</summary>
    public const string ShippingUploadNotFound = "SHIPPING_UPLOAD_NOT_FOUND";
}
