using System.Net;
using System.Net.Http.Json;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.MiniProgram;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>Mini-program login (/sns/jscode2session) and the reset control.</summary>
public sealed class SimulatorMiniProgramTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task The_same_code_always_gives_the_same_openid_and_other_codes_or_apps_other_openids()
    {
        var alice = await LoginAsync(sim.Merchant.AppId, "alice");
        var aliceAgain = await LoginAsync(sim.Merchant.AppId, "alice");
        var bob = await LoginAsync(sim.Merchant.AppId, "bob");

        Assert.Equal(alice.OpenId, aliceAgain.OpenId);
        Assert.Equal(alice.SessionKey, aliceAgain.SessionKey);
        Assert.NotEqual(alice.OpenId, bob.OpenId);
        Assert.Matches("^o[A-Za-z0-9_-]{27}$", alice.OpenId);
        Assert.Equal(16, Convert.FromBase64String(alice.SessionKey!).Length);
        Assert.Null(alice.ErrCode);
        Assert.NotEqual(JsCode2SessionEndpoints.OpenId("wxanotherapp", "alice"), alice.OpenId);
    }

    [Theory]
    [InlineData("invalid-code", 40029)]
    [InlineData("", 40029)]
    public async Task An_invalid_code_is_errcode_40029(string code, int errcode)
    {
        var answer = await LoginAsync(sim.Merchant.AppId, code);

        Assert.Equal(errcode, answer.ErrCode);
        Assert.Null(answer.OpenId);
        Assert.StartsWith("invalid code", answer.ErrMsg);
    }

    [Fact]
    public async Task An_unknown_appid_or_wrong_grant_type_is_refused()
    {
        Assert.Equal(40013, (await LoginAsync("wxunknown", "alice")).ErrCode);
        Assert.Equal(40002, (await LoginAsync(sim.Merchant.AppId, "alice", grantType: "client_credential")).ErrCode);
    }

    [Fact]
    public async Task Reset_forgets_orders()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("RESET");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));

        Assert.Equal(HttpStatusCode.NoContent, (await sim.Controls.PostAsync("/simulator/reset")).Status);
        var ex = await Assert.ThrowsAsync<WeChatPayApiException>(() => sim.Shop.Api.QueryByOutTradeNoAsync(outTradeNo, sim.Merchant.MchId));

        Assert.Equal("ORDER_NOT_EXIST", ex.Code);
    }

    private async Task<JsCode2SessionResponse> LoginAsync(string appId, string code, string grantType = "authorization_code")
    {
        using var http = new HttpClient { BaseAddress = sim.Simulator.BaseUrl };
        var url = $"/sns/jscode2session?appid={appId}&secret=any-secret&js_code={Uri.EscapeDataString(code)}&grant_type={grantType}";
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsCode2SessionResponse>())!;
    }
}
