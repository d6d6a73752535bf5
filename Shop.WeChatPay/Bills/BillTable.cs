using System.Globalization;

namespace Shop.WeChatPay.Bills;

/// <summary>
/// A bill's two parts, as documented: a header row and detail rows, then a summary header (starting with
/// <paramref name="summaryMarker"/>) and one summary row. Columns are found by their header names, so an extra or
/// reordered column (bill generations differ) changes nothing.
/// </summary>
internal sealed class BillTable
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly Dictionary<string, int> _columns;
    private readonly Dictionary<string, int> _summaryColumns;

    private BillTable(string[] header, List<string[]> rows, string[] summaryHeader, string[] summary)
    {
        _columns = Index(header);
        _summaryColumns = Index(summaryHeader);
        Rows = rows;
        Summary = summary;
    }

    public IReadOnlyList<string[]> Rows { get; }

    public string[] Summary { get; }

    public static BillTable Parse(string text, string firstColumn, string summaryMarker)
    {
        var records = BillCsv.Read(text);
        if (records.Count == 0 || Normalize(records[0][0]) != firstColumn)
        {
            throw new BillFormatException($"the first row is not the header starting with {firstColumn}");
        }

        var rows = new List<string[]>();
        for (var i = 1; i < records.Count; i++)
        {
            if (Normalize(records[i][0]) == summaryMarker)
            {
                if (i + 2 != records.Count)
                {
                    throw new BillFormatException($"expected exactly one summary row after the {summaryMarker} header");
                }

                return new BillTable(records[0], rows, records[i], records[i + 1]);
            }

            rows.Add(records[i]);
        }

        throw new BillFormatException($"no summary rows ({summaryMarker}): the file is cut short");
    }

    public string Text(string[] row, string column, bool required = true)
    {
        if (!_columns.TryGetValue(column, out var index))
        {
            return required ? throw new BillFormatException($"column {column} is missing") : "";
        }

        return index < row.Length ? row[index] : "";
    }

    public string SummaryText(string column) =>
        _summaryColumns.TryGetValue(column, out var index) && index < Summary.Length
            ? Summary[index]
            : throw new BillFormatException($"summary column {column} is missing");

    public long Fen(string[] row, string column, bool required = true) => BillMoney.ToFen(Text(row, column, required), column);

    public long SummaryFen(string column) => BillMoney.ToFen(SummaryText(column), column);

    public long SummaryCount(string column) =>
        long.TryParse(SummaryText(column), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new BillFormatException($"summary {column} \"{SummaryText(column)}\" is not a count");

    /// <summary>Bill times are Beijing time without an offset ("2026-12-06 10:30:00").</summary>
    public DateTimeOffset Time(string[] row, string column)
    {
        var text = Text(row, column);
        return DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Beijing)
            : throw new BillFormatException($"{column} \"{text}\" is not a time (yyyy-MM-dd HH:mm:ss)");
    }

    /// <summary>Refund numbers of a payment row are empty or "0" depending on the bill generation.</summary>
    public string? Optional(string[] row, string column) => Text(row, column, required: false) is { Length: > 0 } v && v != "0" ? v : null;

    private static Dictionary<string, int> Index(string[] header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            index.TryAdd(Normalize(header[i]), i);
        }

        return index;
    }

    /// <summary>Full-width brackets appear in some generations' headers: 收支金额（元） is 收支金额(元).</summary>
    private static string Normalize(string name) => name.Replace('（', '(').Replace('）', ')').Trim();
}
