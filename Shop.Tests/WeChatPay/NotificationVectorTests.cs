using System.Text.Json;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>notifications.json: every positive case verifies and decrypts, every negative case fails at the right check.</summary>
public sealed class NotificationVectorTests
{
    private const string File = "notifications.json";

    public static TheoryData<string> Accepted => WeChatPayVectors.CaseNames(File, c => Outcome(c) == "accept");

    public static TheoryData<string> Rejected => WeChatPayVectors.CaseNames(File, c => Outcome(c) == "reject");

    public static TheoryData<string> All => WeChatPayVectors.CaseNames(File);

    [Fact]
    public void Every_case_is_either_accepted_or_rejected()
    {
        Assert.Equal(WeChatPayVectors.Cases(File).Count(), Accepted.Count + Rejected.Count);
        Assert.Equal(3, Accepted.Count);
        Assert.Equal(9, Rejected.Count);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Accepted_notification_verifies_and_decrypts_to_the_expected_plaintext(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");

        var result = await Parser(c).ParseAsync(WeChatPayVectors.Headers(c), WeChatPayVectors.RawBody(c));

        Assert.True(result.IsValid, result.Verification.Message);
        Assert.Equal(expected.Str("key_mode") == "platform_certificate" ? VerificationKeyKind.PlatformCertificate : VerificationKeyKind.WeChatPayPublicKey,
            result.Verification.KeyKind);
        Assert.Equal(expected.Str("plaintext"), result.Notification!.ResourceJson);
        AssertResource(expected.GetProperty("resource"), result.Notification);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Rejected_notification_fails_at_the_first_failing_check(string name)
    {
        var c = WeChatPayVectors.Case(File, name);

        var result = await Parser(c).ParseAsync(WeChatPayVectors.Headers(c), WeChatPayVectors.RawBody(c));

        Assert.False(result.IsValid);
        Assert.Null(result.Notification);
        Assert.Equal(ExpectedCheck(c.GetProperty("expected").Str("reason")), result.FailedCheck);
        using var fail = JsonDocument.Parse(result.FailBody);
        Assert.Equal("FAIL", fail.RootElement.Str("code"));
        Assert.InRange(fail.RootElement.Str("message").Length, 1, 64);
    }

    /// <summary>Each check on its own, so the per-check booleans of the file hold, not only the first failure.</summary>
    [Theory]
    [MemberData(nameof(All))]
    public void Each_individual_check_matches_the_vector(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        var expected = c.GetProperty("expected");
        var headers = WeChatPayVectors.Headers(c);
        var body = WeChatPayVectors.RawBody(c);
        var store = WeChatPayVectors.KeyStore(File, WeChatPayVectors.ClockAt(c.GetProperty("verify_at_unix").GetInt64()));

        var skew = Math.Abs(c.GetProperty("verify_at_unix").GetInt64() - long.Parse(headers.Timestamp!));
        Assert.Equal(expected.GetProperty("timestamp_within_window").GetBoolean(), skew <= WeChatPaySignatureVerifier.MaxClockSkew.TotalSeconds);
        var key = store.Find(headers.Serial!);
        Assert.Equal(expected.GetProperty("serial_known").GetBoolean(), key is not null);
        if (expected.GetProperty("signature_valid").ValueKind != JsonValueKind.Null)
        {
            Assert.Equal(expected.GetProperty("signature_valid").GetBoolean(), WeChatPaySignatureVerifier.IsSignatureValid(key!, headers, body));
        }

        if (expected.TryGetProperty("decrypt_ok", out var decryptOk))
        {
            var envelope = JsonSerializer.Deserialize<NotificationEnvelope>(body, WeChatPayJson.Options)!;
            Assert.Equal(decryptOk.GetBoolean(), Cipher(c).TryDecrypt(envelope.Resource!, out _));
        }
    }

    [Fact]
    public async Task Pretty_printed_body_verifies_only_as_raw_bytes_never_re_serialized()
    {
        var c = WeChatPayVectors.Case(File, "refund_success_wechatpay_public_key_pretty_body");
        var reserialized = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(WeChatPayVectors.RawBody(c)).RootElement);

        var result = await Parser(c).ParseAsync(WeChatPayVectors.Headers(c), reserialized);

        Assert.Equal(VerificationCheck.Signature, result.FailedCheck);
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public async Task Replay_window_is_300_seconds_either_way(int offsetSeconds, bool accepted)
    {
        var c = WeChatPayVectors.Case(File, "transaction_success_platform_cert");
        var headers = WeChatPayVectors.Headers(c);
        var clock = WeChatPayVectors.ClockAt(long.Parse(headers.Timestamp!) + offsetSeconds);
        var parser = new WeChatPayNotificationParser(
            new WeChatPaySignatureVerifier(new StoreKeyResolver(WeChatPayVectors.KeyStore(File, clock)), clock), Cipher(c));

        var result = await parser.ParseAsync(headers, WeChatPayVectors.RawBody(c));

        Assert.Equal(accepted, result.IsValid);
        Assert.Equal(accepted ? VerificationCheck.None : VerificationCheck.Timestamp, result.FailedCheck);
    }

    [Fact]
    public async Task Missing_header_or_foreign_signature_type_fails_the_header_check()
    {
        var c = WeChatPayVectors.Case(File, "transaction_success_platform_cert");
        var headers = WeChatPayVectors.Headers(c);

        var missing = await Parser(c).ParseAsync(headers with { Nonce = null }, WeChatPayVectors.RawBody(c));
        var sm2 = await Parser(c).ParseAsync(headers with { SignatureType = "WECHATPAY2-SM2-WITH-SM3" }, WeChatPayVectors.RawBody(c));

        Assert.Equal(VerificationCheck.Headers, missing.FailedCheck);
        Assert.Equal(VerificationCheck.Headers, sm2.FailedCheck);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Absent_signature_type_means_rsa(string? signatureType)
    {
        var c = WeChatPayVectors.Case(File, "transaction_success_platform_cert");

        var result = await Parser(c).ParseAsync(WeChatPayVectors.Headers(c) with { SignatureType = signatureType }, WeChatPayVectors.RawBody(c));

        Assert.True(result.IsValid);
    }

    private static WeChatPayNotificationParser Parser(JsonElement c)
    {
        var clock = WeChatPayVectors.ClockAt(c.GetProperty("verify_at_unix").GetInt64());
        var verifier = new WeChatPaySignatureVerifier(new StoreKeyResolver(WeChatPayVectors.KeyStore(File, clock)), clock);
        return new WeChatPayNotificationParser(verifier, Cipher(c));
    }

    private static ApiV3Cipher Cipher(JsonElement c) =>
        new(c.TryGetProperty("decrypt_with_apiv3_key", out var k) ? k.GetString()! : WeChatPayVectors.File(File).Str("apiv3_key"));

    private static string Outcome(JsonElement c) => c.GetProperty("expected").Str("outcome");

    private static VerificationCheck ExpectedCheck(string reason) => reason switch
    {
        "timestamp_expired" => VerificationCheck.Timestamp,
        "unknown_serial" => VerificationCheck.Serial,
        "signature_invalid" => VerificationCheck.Signature,
        "decrypt_failed" => VerificationCheck.Decrypt,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "reason not in the vector README"),
    };

    private static void AssertResource(JsonElement expected, WeChatPayNotification notification)
    {
        if (notification.IsTransaction)
        {
            var t = notification.ReadTransaction();
            Assert.Equal(expected.Str("out_trade_no"), t.OutTradeNo);
            Assert.Equal(expected.Str("transaction_id"), t.TransactionId);
            Assert.Equal(expected.Str("trade_state"), t.TradeState);
            Assert.Equal(expected.Str("mchid"), t.MchId);
            Assert.Equal(expected.Str("appid"), t.AppId);
            Assert.Equal(expected.Str("attach"), t.Attach);
            Assert.Equal(expected.GetProperty("payer").Str("openid"), t.Payer!.OpenId);
            Assert.Equal(expected.GetProperty("amount").GetProperty("total").GetInt64(), t.Amount!.Total);
            Assert.Equal(expected.GetProperty("amount").GetProperty("payer_total").GetInt64(), t.Amount.PayerTotal);
            Assert.Equal(DateTimeOffset.Parse(expected.Str("success_time")), t.SuccessTime);
            Assert.Throws<InvalidOperationException>(notification.ReadRefund);
            return;
        }

        var r = notification.ReadRefund();
        Assert.Equal(expected.Str("out_refund_no"), r.OutRefundNo);
        Assert.Equal(expected.Str("refund_id"), r.RefundId);
        Assert.Equal(expected.Str("refund_status"), r.RefundStatus);
        Assert.Equal(expected.Str("user_received_account"), r.UserReceivedAccount);
        Assert.Equal(expected.TryGetProperty("success_time", out var st) ? DateTimeOffset.Parse(st.GetString()!) : null, r.SuccessTime);
        var amount = expected.GetProperty("amount");
        Assert.Equal(new RefundNotificationAmount(amount.GetProperty("total").GetInt64(), amount.GetProperty("refund").GetInt64(),
            amount.GetProperty("payer_total").GetInt64(), amount.GetProperty("payer_refund").GetInt64()), r.Amount);
        Assert.Throws<InvalidOperationException>(notification.ReadTransaction);
    }
}
