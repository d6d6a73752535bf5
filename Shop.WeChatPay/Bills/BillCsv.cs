using System.Text;

namespace Shop.WeChatPay.Bills;

/// <summary>
/// RFC 4180 reading of a WeChat Pay bill: comma-separated, fields optionally in double quotes (a quoted field may hold
/// commas, line breaks and "" for a quote), records ended by LF or CRLF, UTF-8 with or without a BOM. Each value loses
/// the one backtick WeChat Pay puts in front of it (so that Excel keeps long numbers as text) and surrounding blanks.
/// </summary>
public static class BillCsv
{
    public static IReadOnlyList<string[]> Read(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted || field.ToString().Trim() is "" or "`":
                    // A quote opens a field only at its start (after blanks or WeChat's backtick, kept for Clean).
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(Clean(field));
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new BillFormatException("a quoted field is not closed before the end of the file");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(Clean(field));
            field.Clear();
            fieldStarted = false;
            if (fields.Count > 1 || fields[0].Length > 0)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
        }
    }

    private static string Clean(StringBuilder field)
    {
        var value = field.ToString().Trim();
        return value.StartsWith('`') ? value[1..].Trim() : value;
    }
}

/// <summary>A bill that does not have the documented shape (missing column, bad amount, summary that disagrees).</summary>
public sealed class BillFormatException(string message) : Exception("WeChat Pay bill not understood: " + message);
