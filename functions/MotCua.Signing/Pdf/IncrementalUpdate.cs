using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace MotCua.Signing.Pdf;

/// <summary>
/// New and rewritten objects appended after a revision, with a cross-reference section chained to
/// the previous one by <c>/Prev</c> (ISO 32000-1 §7.5.6). The earlier bytes are never touched, so
/// every earlier signature keeps covering exactly what it covered.
/// </summary>
internal sealed class IncrementalUpdate(PdfRevision revision) : IPdfObjectSink
{
    private readonly SortedDictionary<long, (IndirectReference Reference, byte[] Body)> _objects = [];
    private long _next = revision.Size;

    public IndirectReference Reserve() => new(_next++, 0);

    public IndirectReference Add(IToken token)
    {
        var reference = Reserve();
        Set(reference, token);
        return reference;
    }

    /// <summary>Writes <paramref name="token"/> as the object <paramref name="reference"/>: new, or replacing the revision's.</summary>
    public void Set(IndirectReference reference, IToken token) => _objects[reference.ObjectNumber] = (reference, Serialize(token));

    /// <summary>For bodies whose exact bytes matter, such as a signature dictionary with its placeholder.</summary>
    public void SetRaw(IndirectReference reference, byte[] body) => _objects[reference.ObjectNumber] = (reference, body);

    /// <summary>The update's bytes and where each object starts, counted from the start of the update.</summary>
    public (byte[] Bytes, IReadOnlyDictionary<long, long> Offsets) Write()
    {
        using var output = new MemoryStream();
        var offsets = new Dictionary<long, long>();
        Ascii(output, "\n");
        foreach (var (number, (reference, body)) in _objects)
        {
            offsets[number] = output.Position;
            Ascii(output, $"{number} {reference.Generation} obj\n");
            output.Write(body);
            Ascii(output, "\nendobj\n");
        }
        if (revision.CrossReferenceIsStream) WriteXrefStream(output, offsets);
        else WriteXrefTable(output, offsets);
        return (output.ToArray(), offsets);
    }

    public static byte[] Serialize(IToken token)
    {
        if (token is StreamToken stream)
            token = new StreamToken(stream.StreamDictionary.With(NameToken.Length, new NumericToken(stream.Data.Length)), stream.Data.ToArray());
        using var output = new MemoryStream();
        TokenWriter.Instance.WriteToken(token, output);
        return output.ToArray();
    }

    private void WriteXrefTable(MemoryStream output, Dictionary<long, long> offsets)
    {
        var xref = revision.Length + output.Position;
        var table = new StringBuilder("xref\n");
        foreach (var (number, (reference, _)) in _objects)
            table.Append(CultureInfo.InvariantCulture, $"{number} 1\n{revision.Length + offsets[number]:D10} {reference.Generation:D5} n \n");
        output.Write(Encoding.Latin1.GetBytes(table.ToString()));
        Ascii(output, "trailer\n");
        output.Write(Serialize(Trailer(_next)));
        Ascii(output, $"\nstartxref\n{xref}\n%%EOF\n");
    }

    // A cross-reference stream lists itself too; its rows are type 1 (in use at an offset).
    private void WriteXrefStream(MemoryStream output, Dictionary<long, long> offsets)
    {
        var self = Reserve();
        var xref = revision.Length + output.Position;
        var rows = _objects.Select(o => (Number: o.Key, Offset: revision.Length + offsets[o.Key], o.Value.Reference.Generation))
            .Append((Number: self.ObjectNumber, Offset: xref, Generation: 0)).OrderBy(r => r.Number).ToList();
        const int offsetWidth = 8;
        var data = new byte[rows.Count * (1 + offsetWidth + 2)];
        var at = 0;
        foreach (var row in rows)
        {
            data[at] = 1;
            BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(at + 1, offsetWidth), row.Offset);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at + 1 + offsetWidth, 2), (ushort)row.Generation);
            at += 1 + offsetWidth + 2;
        }
        var dictionary = Trailer(_next)
            .With(NameToken.Type, NameToken.Xref)
            .With(NameToken.W, Numbers(1, offsetWidth, 2))
            .With(NameToken.Index, new ArrayToken(rows.SelectMany(r => new IToken[] { new NumericToken(r.Number), new NumericToken(1) }).ToList()));
        Ascii(output, $"{self.ObjectNumber} 0 obj\n");
        output.Write(Serialize(new StreamToken(dictionary, data)));
        Ascii(output, $"\nendobj\nstartxref\n{xref}\n%%EOF\n");
    }

    private DictionaryToken Trailer(long size)
    {
        var entries = new Dictionary<NameToken, IToken>
        {
            [NameToken.Size] = new NumericToken(size),
            [NameToken.Root] = new IndirectReferenceToken(revision.Root),
            [NameToken.Prev] = new NumericToken(revision.StartXref),
        };
        if (revision.Info is { } info) entries[NameToken.Info] = new IndirectReferenceToken(info);
        if (revision.Identifier is { Count: > 0 } id) entries[NameToken.Id] = new ArrayToken(id);
        return new DictionaryToken(entries);
    }

    private static ArrayToken Numbers(params int[] values) => new(values.Select(v => (IToken)new NumericToken(v)).ToList());

    private static void Ascii(Stream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));
}
