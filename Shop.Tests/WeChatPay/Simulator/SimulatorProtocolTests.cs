using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>How the simulator checks our requests (signature, timestamp, fields) and signs every answer.</summary>
public sealed class SimulatorProtocolTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const string Jsapi = "/v3/pay/transactions/jsapi";

    [Fact]
    public async Task A_request_signed_with_the_wrong_private_key_is_a_signed_401_SIGN_ERROR()
    {
        await using var impostor = sim.CreateShop(sim.Merchant.WriteImpostorKey());

        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => impostor.Api.JsapiPrepayAsync(impostor.Prepay(SimulatorControls.NewOrderNo("SIGN"))));

        Assert.Equal((HttpStatusCode.Unauthorized, "SIGN_ERROR"), (ex.StatusCode, ex.Code));
        Assert.True(ex.SignatureVerified);
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_SIGN_ERROR()
    {
        var signedBody = Body(SimulatorControls.NewOrderNo("TAMPER"));

        var answer = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, signedBody,
            change: r => r.Content = new StringContent(signedBody.Replace("1000", "1", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("SIGN_ERROR", answer.Json.GetProperty("code").GetString());
        Assert.True(answer.Verification.IsValid);
    }

    [Fact]
    public async Task A_timestamp_more_than_five_minutes_old_is_SIGN_ERROR()
    {
        var sixMinutesAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-6));

        var stale = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, Body(SimulatorControls.NewOrderNo("STALE")), sixMinutesAgo);
        var fresh = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, Body(SimulatorControls.NewOrderNo("FRESH")), new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-4)));

        Assert.Equal((HttpStatusCode.Unauthorized, "SIGN_ERROR"), (stale.Status, stale.Json.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
    }

    [Fact]
    public async Task Unknown_serial_or_missing_authorization_or_user_agent_are_refused()
    {
        var body = Body(SimulatorControls.NewOrderNo("HDR"));

        var wrongSerial = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, body, change: r => ReplaceAuthorization(r, a => a.Replace(
            $"serial_no=\"{sim.Merchant.CertificateSerial}\"", "serial_no=\"0123456789ABCDEF\"", StringComparison.Ordinal)));
        var noAuthorization = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, body, change: r => r.Headers.Remove("Authorization"));
        var noUserAgent = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, body, change: r => r.Headers.Remove("User-Agent"));

        Assert.Equal((HttpStatusCode.Unauthorized, "SIGN_ERROR"), (wrongSerial.Status, wrongSerial.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Unauthorized, "SIGN_ERROR"), (noAuthorization.Status, noAuthorization.Json.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_REQUEST"), (noUserAgent.Status, noUserAgent.Json.GetProperty("code").GetString()));
        Assert.All([wrongSerial, noAuthorization, noUserAgent], a => Assert.True(a.Verification.IsValid));
    }

    [Theory]
    [InlineData("payer", null, "/payer/openid", "is required")]
    [InlineData("appid", null, "/appid", "is required")]
    [InlineData("description", "\"\"", "/description", "must not be empty")]
    [InlineData("amount", "{\"total\":0}", "/amount/total", "must be at least 1")]
    [InlineData("amount", "{\"total\":\"100\"}", "/amount/total", "must be an integer")]
    [InlineData("amount", "{\"total\":100,\"currency\":\"USD\"}", "/amount/currency", "must be CNY")]
    [InlineData("out_trade_no", "\"A|B-123\"", "/out_trade_no", "must be 6-32 characters of [0-9A-Za-z_-*]")]
    [InlineData("out_trade_no", "\"12345\"", "/out_trade_no", "must be 6-32 characters of [0-9A-Za-z_-*]")]
    [InlineData("notify_url", "\"https://shop.example.com/notify?x=1\"", "/notify_url", "must not carry a query string")]
    [InlineData("notify_url", "\"http://shop.example.com/notify\"", "/notify_url", "must use https (http is accepted only for loopback hosts)")]
    [InlineData("time_expire", "\"2020-01-01T00:00:00+08:00\"", "/time_expire", "must be in the future and at most 90 days away")]
    public async Task A_missing_or_malformed_field_is_PARAM_ERROR_naming_the_field(string field, string? json, string pointer, string issue)
    {
        var body = Body(SimulatorControls.NewOrderNo("PARAM"), field, json);

        var answer = await sim.Shop.SendRawAsync(HttpMethod.Post, Jsapi, body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("PARAM_ERROR", answer.Json.GetProperty("code").GetString());
        var detail = answer.Json.GetProperty("detail");
        Assert.Equal((pointer, issue, "body"), (detail.GetProperty("field").GetString(), detail.GetProperty("issue").GetString(), detail.GetProperty("location").GetString()));
    }

    [Theory]
    [InlineData(43, 129)]
    [InlineData(128, 384)]
    public async Task A_description_over_127_utf8_bytes_is_PARAM_ERROR_through_the_typed_client(int chineseCharacters, int bytes)
    {
        // WeChat Pay counts bytes: 43 Chinese characters are far under 127 characters but over 127 bytes.
        var request = sim.Shop.Prepay(SimulatorControls.NewOrderNo("DESC")) with { Description = new string('咖', chineseCharacters) };

        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.JsapiPrepayAsync(request));

        Assert.Equal((HttpStatusCode.BadRequest, "PARAM_ERROR"), (ex.StatusCode, ex.Code));
        Assert.Equal("/description", ex.Detail!.Value.GetProperty("field").GetString());
        Assert.Equal($"is longer than 127 bytes in UTF-8 ({bytes} bytes)", ex.Detail!.Value.GetProperty("issue").GetString());
    }

    [Fact]
    public async Task A_description_of_exactly_127_utf8_bytes_is_accepted()
    {
        var request = sim.Shop.Prepay(SimulatorControls.NewOrderNo("DESC")) with { Description = "A" + new string('咖', 42) };

        var prepay = await sim.Shop.Api.JsapiPrepayAsync(request);

        Assert.False(string.IsNullOrEmpty(prepay.PrepayId));
    }

    [Fact]
    public async Task Query_without_mchid_and_unknown_paths_get_signed_errors()
    {
        var noMchId = await sim.Shop.SendRawAsync(HttpMethod.Get, "/v3/pay/transactions/out-trade-no/ABCDEF123", null);
        var unknown = await sim.Shop.SendRawAsync(HttpMethod.Get, "/v3/no/such/api", null);

        Assert.Equal((HttpStatusCode.BadRequest, "query"), (noMchId.Status, noMchId.Json.GetProperty("detail").GetProperty("location").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknown.Status, unknown.Json.GetProperty("code").GetString()));
        Assert.True(noMchId.Verification.IsValid && unknown.Verification.IsValid);
    }

    [Fact]
    public async Task The_public_key_file_and_the_downloaded_certificate_hold_the_same_platform_key()
    {
        var certificates = await sim.Shop.Api.GetCertificatesAsync();

        var entry = Assert.Single(certificates.Data);
        Assert.Equal(sim.PlatformKeys.CertificateSerial, entry.SerialNo);
        Assert.Matches("^[0-9A-F]{40}$", entry.SerialNo);
        Assert.Equal("certificate", entry.EncryptCertificate!.AssociatedData);
        Assert.True(PlatformCertificateDecoder.TryDecode(entry, new Shop.WeChatPay.Crypto.ApiV3Cipher(sim.Merchant.ApiV3Key), out var certificate, out var error), error);
        using (certificate)
        {
            Assert.Equal(File.ReadAllText(sim.PublicKeyPath), certificate!.GetRSAPublicKey()!.ExportSubjectPublicKeyInfoPem());
        }
    }

    private static void ReplaceAuthorization(HttpRequestMessage request, Func<string, string> change)
    {
        var value = request.Headers.GetValues("Authorization").Single();
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", change(value));
    }

    /// <summary>A valid prepay body, optionally with one field replaced (raw JSON) or removed (null).</summary>
    private string Body(string outTradeNo, string? field = null, string? json = null)
    {
        var body = JsonSerializer.SerializeToNode(sim.Shop.Prepay(outTradeNo), WeChatPayJson.Options)!.AsObject();
        if (field is not null)
        {
            body.Remove(field);
            if (json is not null)
            {
                body[field] = System.Text.Json.Nodes.JsonNode.Parse(json);
            }
        }

        return body.ToJsonString(WeChatPayJson.Options);
    }
}
