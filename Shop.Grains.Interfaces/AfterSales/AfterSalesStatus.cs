namespace Shop.Grains.Interfaces.AfterSales;

/// <summary>仅退款 (the money back, nothing sent back) or 退货退款 (the goods come back first, then the money).</summary>
[GenerateSerializer, Alias("Shop.AfterSales.AfterSalesKind")]
public enum AfterSalesKind
{
    RefundOnly,
    ReturnAndRefund,
}

/// <summary>Where an after-sales request is; <see cref="AfterSalesStateMachine"/> says how it moves.</summary>
[GenerateSerializer, Alias("Shop.AfterSales.AfterSalesStatus")]
public enum AfterSalesStatus
{
    /// <summary>Waiting for the merchant's decision (approved automatically after the merchant response time).</summary>
    Requested,

    /// <summary>Approved return: waiting for the customer to send the goods back (closes after the return deadline).</summary>
    AwaitingReturn,

    /// <summary>The customer sent the goods back: waiting for the merchant to confirm receipt.</summary>
    ReturnShipped,

    /// <summary>Approved (and the goods back, for a return): the refund goes through WeChat Pay.</summary>
    Refunding,

    Refunded,
    Rejected,
    Withdrawn,

    /// <summary>The customer did not send the goods back within the return deadline.</summary>
    Closed,

    /// <summary>The merchant refused the returned goods (e.g. not what was sold, or damaged by use).</summary>
    GoodsRejected,
}

/// <summary>What happened to a request.</summary>
[GenerateSerializer, Alias("Shop.AfterSales.AfterSalesTrigger")]
public enum AfterSalesTrigger
{
    Open,
    Approve,
    AutoApprove,
    Reject,
    Withdraw,
    SubmitReturn,
    ReturnDeadlinePassed,
    ConfirmReceipt,
    RejectGoods,
    RefundSucceeded,
}
