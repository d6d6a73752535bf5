using System.Text;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;

namespace Shop.Tests.Orders;

public sealed class OrderNumberGeneratorTests
{
    private static readonly OrderNumberPermutation Permutation = new(Encoding.UTF8.GetBytes("unit-test-order-number-key-0001"));
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static (OrderNumberGenerator Generator, ManualClock Clock) Generator(int workerId = 5)
    {
        var clock = new ManualClock(Noon);
        var generator = new OrderNumberGenerator(Permutation, clock);
        generator.Assign(workerId, floor: 0, reservedUntil: Snowflake.MaxTimestamp);
        return (generator, clock);
    }

    private static (long Timestamp, int WorkerId, int Sequence) Decode(string orderNo) =>
        Snowflake.Decompose(Permutation.Invert(OrderNumber.Suffix(orderNo)));

    [Fact]
    public void A_number_is_the_utc_date_and_twenty_digits_and_decodes_to_worker_and_time()
    {
        var (generator, _) = Generator(workerId: 77);

        var number = generator.Next();

        Assert.Equal(28, number.Length);
        Assert.StartsWith("20261127", number, StringComparison.Ordinal);
        Assert.True(OrderNumber.IsValid(number));
        var (timestamp, worker, sequence) = Decode(number);
        Assert.Equal(77, worker);
        Assert.Equal(0, sequence);
        Assert.Equal(Snowflake.ToTimestamp(Noon), timestamp);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026112700000000000000000001")]  // valid
    [InlineData("2026113000000000000000000001")]  // Nov 30 exists
    [InlineData("2026113100000000000000000001")]  // Nov 31 does not
    [InlineData("202611270000000000000000000")]   // 27 digits
    [InlineData("20261127ABCDEFGHIJ0000000001")]
    [InlineData("2026112799999999999999999999")]  // above 2^64-1
    public void The_format_check_accepts_only_real_dates_and_64_bit_suffixes(string? candidate)
    {
        var expected = candidate is "2026112700000000000000000001" or "2026113000000000000000000001";
        Assert.Equal(expected, OrderNumber.IsValid(candidate));
    }

    [Fact]
    public void The_permutation_is_a_bijection_that_depends_on_the_key()
    {
        var other = new OrderNumberPermutation(Encoding.UTF8.GetBytes("another-order-number-key-0002"));
        var inputs = Enumerable.Range(0, 10_000).Select(i => Snowflake.Compose(123_456_789 + i / 4096, 3, i % 4096)).ToList();

        var outputs = inputs.Select(Permutation.Permute).ToList();

        Assert.Equal(inputs.Count, outputs.Distinct().Count());
        Assert.Equal(inputs, outputs.Select(Permutation.Invert));
        Assert.Equal(0, inputs.Count(i => Permutation.Permute(i) == other.Permute(i)));
    }

    [Fact]
    public void Consecutive_numbers_do_not_look_consecutive()
    {
        var (generator, _) = Generator();
        var suffixes = Enumerable.Range(0, 1_000).Select(_ => OrderNumber.Suffix(generator.Next())).ToList();

        // Sequential snowflakes differ by 1; permuted, neighbours should differ by about half of all 64 bits.
        var bitsChanged = suffixes.Zip(suffixes.Skip(1), (a, b) => (int)ulong.PopCount(a ^ b)).ToList();
        Assert.InRange(bitsChanged.Average(), 28.0, 36.0);
        Assert.True(bitsChanged.Min() >= 10, $"two neighbours differ in only {bitsChanged.Min()} bits");
        Assert.NotEqual(suffixes.Order(), suffixes);
    }

    [Fact]
    public void More_than_4096_numbers_in_one_millisecond_overflow_into_the_next_without_waiting()
    {
        var (generator, _) = Generator();

        var decoded = Enumerable.Range(0, 10_000).Select(_ => Decode(generator.Next())).ToList();

        Assert.Equal(10_000, decoded.Distinct().Count());
        var start = Snowflake.ToTimestamp(Noon);
        Assert.Equal(new[] { start, start + 1, start + 2 }, decoded.Select(d => d.Timestamp).Distinct());
    }

    [Fact]
    public void A_clock_stepping_back_neither_repeats_a_number_nor_blocks()
    {
        var (generator, clock) = Generator();
        var seen = new HashSet<string>();
        var stepped = System.Diagnostics.Stopwatch.StartNew();

        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.True(seen.Add(generator.Next()));
            }

            // Alternate big steps back (an NTP correction, a VM restore) and small steps forward.
            clock.Advance(round % 2 == 0 ? TimeSpan.FromSeconds(-30) : TimeSpan.FromMilliseconds(3));
        }

        Assert.Equal(5_000, seen.Count);
        Assert.True(stepped.Elapsed < TimeSpan.FromSeconds(5), $"took {stepped.Elapsed}");
        var timestamps = seen.Select(Decode).Select(d => (d.Timestamp, d.Sequence)).Order().ToList();
        Assert.Equal(5_000, timestamps.Distinct().Count());
    }

    [Fact]
    public void Numbers_stop_rather_than_pass_the_reservation_and_resume_when_it_is_extended()
    {
        var clock = new ManualClock(Noon);
        var generator = new OrderNumberGenerator(Permutation, clock);
        var now = Snowflake.ToTimestamp(Noon);
        generator.Assign(9, floor: 0, reservedUntil: now + 1);

        generator.Next();
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Throws<OrderNumberUnavailableException>(generator.Next);

        generator.Extend(now + 1_000);
        Assert.Equal(now + 2, Decode(generator.Next()).Timestamp);
    }

    [Fact]
    public async Task After_a_jump_forward_the_lease_service_is_asked_to_renew_at_once_and_the_caller_waits_for_it()
    {
        var clock = new ManualClock(Noon);
        var generator = new OrderNumberGenerator(Permutation, clock);
        var now = Snowflake.ToTimestamp(Noon);
        generator.Assign(9, floor: 0, reservedUntil: now + 120_000, renewAhead: 60_000);
        generator.Next();
        Assert.False(generator.RenewalWanted.IsCompleted);

        clock.Advance(TimeSpan.FromHours(24));
        var waiting = generator.NextAsync(TimeSpan.FromSeconds(30)).AsTask();

        await generator.RenewalWanted.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);
        generator.Extend(generator.CurrentTimestamp + 120_000);
        var number = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Snowflake.ToTimestamp(clock.Now), Decode(number).Timestamp);
        Assert.False(generator.RenewalWanted.IsCompleted);

        clock.Advance(TimeSpan.FromHours(24));
        await Assert.ThrowsAsync<OrderNumberUnavailableException>(() => generator.NextAsync(TimeSpan.FromMilliseconds(50)).AsTask());
    }

    [Fact]
    public void A_new_owner_of_a_worker_id_starts_above_its_floor_even_with_a_clock_behind()
    {
        var (generator, _) = Generator();
        var floor = Snowflake.ToTimestamp(Noon) + 60_000;

        generator.Assign(5, floor, floor + 120_000);

        Assert.Equal((floor + 1, 5, 0), Decode(generator.Next()));
    }

    [Fact]
    public void No_numbers_before_a_worker_id_is_assigned_or_after_close()
    {
        var generator = new OrderNumberGenerator(Permutation, new ManualClock(Noon));
        Assert.Null(generator.WorkerId);
        Assert.Throws<OrderNumberUnavailableException>(generator.Next);

        generator.Assign(1, 0, Snowflake.MaxTimestamp);
        var last = Decode(generator.Next()).Timestamp;
        Assert.Equal(last, generator.Close());
        Assert.Throws<OrderNumberUnavailableException>(generator.Next);
    }
}
