namespace Shop.WeChatPay.MiniProgram;

/// <summary>How Shop treats an errcode of the mini-program server API (codes from WeChat's upload_shipping_info and access-token docs).</summary>
public enum MiniProgramErrorKind
{
    /// <summary>WeChat is busy or limiting us: the same request later.</summary>
    Transient,

    /// <summary>The access token is invalid or expired: get a fresh one, then the same request.</summary>
    Token,

    /// <summary>The request itself is refused: repeating it cannot help.</summary>
    Permanent,
}

public static class MiniProgramErrors
{
    /// <summary>发货信息未更新: the very upload WeChat already has (a retry after a lost answer).</summary>
    public const int ShippingUnchanged = 10060023;

    /// <summary>支付单已使用重新发货机会.</summary>
    public const int ReuploadUsed = 10060003;

    public static MiniProgramErrorKind Classify(int errcode) => errcode switch
    {
        // -1 system error; 10060012 / 10060019 系统错误; 45009 / 45011 call frequency limits.
        -1 or 10060012 or 10060019 or 45009 or 45011 => MiniProgramErrorKind.Transient,
        // 40001 invalid credential; 40014 invalid access_token; 42001 access_token expired.
        40001 or 40014 or 42001 => MiniProgramErrorKind.Token,
        _ => MiniProgramErrorKind.Permanent,
    };
}
