using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;

namespace Shop.Tests.Orders;

public sealed class SealedAnswersTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly PersonalDataProtector Protector = new(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1");

    private static readonly IdempotentAnswer Answer = new(new OrderOutcome(OrderOutcomeStatus.NotFound, Detail: new string('x', 900)), "trace-1");

    [Fact]
    public void An_answer_reads_back_as_stored_and_only_under_its_own_key()
    {
        var sealedAnswer = SealedAnswers.Seal(Serializer, Protector, Answer, "key-1");

        Assert.Equal(Answer.Outcome!.Detail, SealedAnswers.Unseal(Serializer, Protector, sealedAnswer, "key-1").Outcome!.Detail);
        Assert.Equal("trace-1", SealedAnswers.Unseal(Serializer, Protector, sealedAnswer, "key-1").TraceId);
        Assert.Throws<PersonalDataUnreadableException>(() => SealedAnswers.Unseal(Serializer, Protector, sealedAnswer, "key-2"));
    }

    [Fact]
    public void Answers_stored_before_the_compact_form_still_read_back()
    {
        // The earlier form: the serialized answer as base64 text, encrypted, and base64-encoded again.
        var legacy = Protector.Protect(Convert.ToBase64String(Serializer.SerializeToArray(Answer)), SealedAnswers.Context("key-1"));

        var read = SealedAnswers.Unseal(Serializer, Protector, legacy, "key-1");

        Assert.Equal(Answer.Outcome!.Detail, read.Outcome!.Detail);
        Assert.Equal("trace-1", read.TraceId);
    }

    [Fact]
    public void The_compact_form_is_a_quarter_smaller_so_an_order_answer_stays_under_the_toast_threshold()
    {
        var legacy = Protector.Protect(Convert.ToBase64String(Serializer.SerializeToArray(Answer)), SealedAnswers.Context("key-1"));
        var compact = SealedAnswers.Seal(Serializer, Protector, Answer, "key-1");

        Assert.True(compact.Length < legacy.Length * 0.8, $"compact {compact.Length} chars, before {legacy.Length}");
    }
}
