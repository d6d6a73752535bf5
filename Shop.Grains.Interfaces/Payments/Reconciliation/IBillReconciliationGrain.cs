namespace Shop.Grains.Interfaces.Payments.Reconciliation;

/// <summary>
/// The reconciliation of one bill date (key: yyyy-MM-dd, Beijing time) against WeChat Pay's trade and fund-flow bills.
/// One activation per date across the cluster, so a date is never reconciled twice at once; the run itself goes on in
/// the background and a durable reminder resumes (redoes) it after a restart or a failure until it completes.
/// </summary>
[Alias("Shop.Reconciliation.IBillReconciliationGrain")]
public interface IBillReconciliationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the run unless one is under way. A completed date is run again only with <paramref name="rerun"/>
    /// (an operator's re-run): the rows are replaced, the differences found again update their earlier records.
    /// </summary>
    [Alias("Start")]
    Task<BillRunView> StartAsync(string requestedBy, bool rerun);

    /// <summary>The date's run as stored, or null when it never ran.</summary>
    [Alias("Get")]
    Task<BillRunView?> GetAsync();
}

/// <summary>
/// Starts the daily run at <c>Reconciliation:DailyAt</c> and goes back for missed or failed dates (one cluster-wide
/// reminder, like the due-order sweep).
/// </summary>
[Alias("Shop.Reconciliation.IReconciliationSchedulerGrain")]
public interface IReconciliationSchedulerGrain : IGrainWithStringKey
{
    public const string Key = "bills";

    [Alias("Start")]
    Task StartAsync();

    /// <summary>
    /// Starts the latest due bill date unless it completed, is running or waiting, and a few older dates of the look-back
    /// window that never ran (oldest first) or failed (the longest since their last start first); returns the dates started.
    /// </summary>
    [Alias("TickDates")]
    Task<IReadOnlyList<string>> TickAsync();
}

/// <summary>Reads and operator actions over the stored runs and differences (stateless: any silo, many at once).</summary>
[Alias("Shop.Reconciliation.IReconciliationQueryGrain")]
public interface IReconciliationQueryGrain : IGrainWithIntegerKey
{
    [Alias("ListRuns")]
    Task<IReadOnlyList<BillRunView>> ListRunsAsync(int limit);

    [Alias("ListDifferences")]
    Task<DifferencePage> ListDifferencesAsync(DifferenceQuery query);

    /// <summary>Marks an open difference resolved by <paramref name="resolvedBy"/>, saying why.</summary>
    [Alias("Resolve")]
    Task<ResolveOutcome> ResolveAsync(string id, string resolvedBy, string resolution);
}
