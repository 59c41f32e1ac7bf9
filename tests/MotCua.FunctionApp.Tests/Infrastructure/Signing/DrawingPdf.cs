using System.Globalization;
using System.Text;
using MotCua.Signing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>Collects what a drawing adds, numbering the objects from 1 as an incremental update would after the file's last object.</summary>
public sealed class CollectingSink : IPdfObjectSink
{
    private readonly List<IToken> _objects = [];

    public IReadOnlyList<IToken> Objects => _objects;

    public IndirectReference Add(IToken token)
    {
        _objects.Add(token);
        return new IndirectReference(_objects.Count, 0);
    }

    public T Get<T>(IndirectReference reference) where T : IToken => (T)_objects[(int)reference.ObjectNumber - 1];
}

/// <summary>
/// Writes PDFs whose pages show drawings, from the tokens the drawings add, so poppler can read and
/// render them as it would a signed document's appearances. Pages are white A4 unless told otherwise.
/// </summary>
public static class DrawingPdf
{
    public static readonly PdfRectangle A4 = new(0, 0, 595, 842);

    public static byte[] Create(IReadOnlyList<PlacedDrawing> drawings, int pages = 1, PdfRectangle? pageBox = null)
    {
        var sink = new CollectingSink();
        var perPage = Enumerable.Range(0, pages).Select(_ => new List<(string Name, IndirectReference Form, PdfRectangle Rectangle)>()).ToList();
        foreach (var placed in drawings)
        {
            var rectangle = placed.Placement.Rectangle;
            var form = placed.Drawing.Write(sink, rectangle.Width, rectangle.Height);
            var onPage = perPage[placed.Placement.PageIndex];
            onPage.Add(($"Fm{onPage.Count + 1}", form, rectangle));
        }

        var box = pageBox ?? A4;
        var pagesReference = new IndirectReference(sink.Objects.Count + 1 + 2 * pages, 0);
        var pageReferences = new List<IToken>();
        foreach (var forms in perPage)
        {
            var content = new StringBuilder();
            foreach (var (name, _, r) in forms)
            {
                content.Append(CultureInfo.InvariantCulture, $"q 1 0 0 1 {r.Left} {r.Bottom} cm /{name} Do Q\n");
            }
            var data = Encoding.ASCII.GetBytes(content.ToString());
            var contents = sink.Add(new StreamToken(new DictionaryToken(new Dictionary<NameToken, IToken> { [NameToken.Length] = new NumericToken(data.Length) }), data));
            var xObjects = forms.ToDictionary(f => NameToken.Create(f.Name), f => (IToken)new IndirectReferenceToken(f.Form));
            pageReferences.Add(new IndirectReferenceToken(sink.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
            {
                [NameToken.Type] = NameToken.Page,
                [NameToken.Parent] = new IndirectReferenceToken(pagesReference),
                [NameToken.MediaBox] = new ArrayToken([new NumericToken(box.Left), new NumericToken(box.Bottom), new NumericToken(box.Right), new NumericToken(box.Top)]),
                [NameToken.Resources] = new DictionaryToken(new Dictionary<NameToken, IToken> { [NameToken.Xobject] = new DictionaryToken(xObjects) }),
                [NameToken.Contents] = new IndirectReferenceToken(contents),
            }))));
        }
        sink.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Pages,
            [NameToken.Kids] = new ArrayToken(pageReferences),
            [NameToken.Count] = new NumericToken(pages),
        }));
        var catalog = sink.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Catalog,
            [NameToken.Pages] = new IndirectReferenceToken(pagesReference),
        }));
        return Serialize(sink.Objects, catalog);
    }

    private static byte[] Serialize(IReadOnlyList<IToken> objects, IndirectReference root)
    {
        using var output = new MemoryStream();
        void Write(string text) => output.Write(Encoding.Latin1.GetBytes(text));
        Write("%PDF-1.7\n%\u00e2\u00e3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n");
            TokenWriter.Instance.WriteToken(objects[i], output);
            Write("\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset:D10} 00000 n \n");
        Write($"trailer\n<< /Size {objects.Count + 1} /Root {root.ObjectNumber} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }
}
