using Shop.Api.Errors;
using Shop.Client.AfterSales;

namespace Shop.Api.AfterSales;

/// <summary>The shape of after-sales requests, checked before any grain is called.</summary>
public static class AfterSalesRules
{
    public const int MaxQuantity = 999;
    private const int MaxLineNo = 1000;

    public static void Check(CreateAfterSalesRequest request, ValidationErrors errors)
    {
        errors.OneOf("kind", request.Kind, [.. AfterSalesKinds.All]);
        if (request.Lines is not { Count: > 0 and <= CreateAfterSalesRequest.MaxLines } lines)
        {
            errors.Add("lines", $"Required: 1 to {CreateAfterSalesRequest.MaxLines} lines.");
        }
        else
        {
            for (var i = 0; i < lines.Count; i++)
            {
                errors.Check(lines[i]?.Line is >= 1 and <= MaxLineNo, $"lines[{i}].line", "Required: the line's position in the order, from 1.")
                    .Check(lines[i]?.Quantity is >= 1 and <= MaxQuantity, $"lines[{i}].quantity", $"Required: 1 to {MaxQuantity}.");
            }

            errors.Check(lines.Select(l => l?.Line).Distinct().Count() == lines.Count, "lines", "Each line may appear once.");
        }

        Text(errors.Required("reason", request.Reason, CreateAfterSalesRequest.MaxReasonLength), "reason", request.Reason);
        errors.Check(request.Note is null || request.Note.Length <= CreateAfterSalesRequest.MaxNoteLength, "note",
            $"At most {CreateAfterSalesRequest.MaxNoteLength} characters.");
        Text(errors, "note", request.Note);
        var photos = request.PhotoUrls ?? [];
        errors.Check(photos.Count <= CreateAfterSalesRequest.MaxPhotos, "photoUrls", $"At most {CreateAfterSalesRequest.MaxPhotos} photos.");
        for (var i = 0; i < photos.Count; i++)
        {
            errors.Check(IsPhotoUrl(photos[i]), $"photoUrls[{i}]",
                $"Must be an absolute https URL of at most {CreateAfterSalesRequest.MaxPhotoUrlLength} characters.");
        }
    }

    public static void CheckReturn(SubmitReturnShipmentRequest request, ValidationErrors errors)
    {
        errors.Required("carrier", request.Carrier, SubmitReturnShipmentRequest.MaxLength);
        errors.Required("trackingNo", request.TrackingNo, SubmitReturnShipmentRequest.MaxLength)
            .Check(request.TrackingNo is null || request.TrackingNo.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), "trackingNo",
                "Letters, digits and '-' only.");
        Text(errors, "carrier", request.Carrier);
    }

    public static void CheckOptionalReason(AfterSalesDecisionRequest request, ValidationErrors errors) =>
        Text(errors.Check(request.Reason is null || request.Reason.Length <= AfterSalesDecisionRequest.MaxReasonLength, "reason",
            $"At most {AfterSalesDecisionRequest.MaxReasonLength} characters."), "reason", request.Reason);

    public static void CheckRequiredReason(AfterSalesDecisionRequest request, ValidationErrors errors) =>
        Text(errors.Required("reason", request.Reason, AfterSalesDecisionRequest.MaxReasonLength), "reason", request.Reason);

    public static void CheckReceipt(ConfirmReturnReceiptRequest request, ValidationErrors errors) =>
        errors.Check(request.Restock is not null, "restock", "Required: true puts the returned units back into stock, false does not.");

    private static bool IsPhotoUrl(string? url) =>
        url is { Length: > 0 and <= CreateAfterSalesRequest.MaxPhotoUrlLength }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host)
        && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static void Text(ValidationErrors errors, string field, string? value) =>
        errors.Check(value is null || !value.Any(char.IsControl), field, "Must not contain control characters.");
}
