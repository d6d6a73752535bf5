namespace Shop.Grains.AfterSales;

/// <summary>The <c>AfterSales</c> configuration section: the deadlines of the after-sales workflow.</summary>
public sealed class AfterSalesOptions
{
    /// <summary>How long after completion a customer may still open a request (China's 7-day no-reason return for goods bought online).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A request the merchant has not decided within this time is approved automatically.</summary>
    public TimeSpan MerchantResponseTime { get; set; } = TimeSpan.FromDays(2);

    /// <summary>After a return is approved, the customer has this long to submit the return courier and tracking number.</summary>
    public TimeSpan ReturnShippingDeadline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the cluster's one after-sales sweep looks for requests whose time passed.</summary>
    public TimeSpan DueSweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the after-sales gauges (requests by status, the oldest undecided one) are counted from the store.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How soon a request whose refund is not settled (or could not start) looks at it again.</summary>
    public TimeSpan RefundFollowUp { get; set; } = TimeSpan.FromMinutes(1);
}
