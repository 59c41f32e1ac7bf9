using System.Security.Cryptography;
using System.Text;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// Rows the exchange keeps beside the documents, in the agency's own partitions. A QCVN document id
/// holds "/" and "," (e.g. "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"), which row keys cannot: keys carry its SHA-256.
/// </summary>
public static class ExchangeRows
{
    /// <summary>In the sender's OUT- partition: which outgoing document a QCVN id names, for the statuses that come back.</summary>
    public static string Issued(string qcvnDocumentId) => "exchange-issued|" + Hash(qcvnDocumentId);

    /// <summary>A package that left for the exchange, once per document, business and version.</summary>
    public static string Sent(string documentId, string business, int version) => $"exchange-sent|{documentId}|{business}|{version}";

    /// <summary>In the recipient's IN- partition: a status reported for a received document, once per code (and version, for answers).</summary>
    public static string StatusSent(string incomingId, string code, int version) => $"exchange-status|{incomingId}|{code}|{version}";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
