using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// The document as it stood at one revision: PdfPig reading the file's first <c>end</c> bytes, so
/// its cross-reference chain starts at that revision's <c>startxref</c>. Objects are read on demand
/// through the file stream; nothing is held but the offsets of the cross-reference sections.
/// </summary>
internal sealed class RevisionView : IDisposable
{
    private readonly PdfDocument _document;

    private RevisionView(PdfDocument document, long end)
    {
        _document = document;
        End = end;
        var table = document.Structure.CrossReferenceTable;
        Offsets = table.ObjectOffsets.ToDictionary(e => e.Key, e => e.Value.Type == XrefEntryType.ObjectStream
            ? new Location(0, e.Value.Value1, e.Value.Value2)
            : new Location(e.Value.Value1, 0, 0));
        SectionOffsets = table.Parts.Select(p => p.Offset).ToHashSet();
        Root = document.Structure.Trailer.Root;
        Info = (document.Structure.Trailer.Info as IndirectReferenceToken)?.Data;
    }

    public long End { get; }

    /// <summary>Where each object in use is: at a file offset, or in an object stream.</summary>
    public IReadOnlyDictionary<IndirectReference, Location> Offsets { get; }

    public IReadOnlySet<long> SectionOffsets { get; }
    public IndirectReference Root { get; }
    public IndirectReference? Info { get; }

    /// <summary>Throws when the revision cannot be read as it is (no repairs are attempted).</summary>
    public static RevisionView Open(FileStream file, long end)
    {
        var document = PdfDocument.Open(new PrefixStream(file, end), new ParsingOptions { UseLenientParsing = false, SkipMissingFonts = true });
        if (document.IsEncrypted)
        {
            document.Dispose();
            throw new InvalidDataException("The file is encrypted.");
        }
        return new RevisionView(document, end);
    }

    public IToken? Object(IndirectReference reference)
    {
        if (!Offsets.ContainsKey(reference)) return null;
        return _document.Structure.GetObject(reference).Data;
    }

    public IToken? Resolve(IToken? token) => token is IndirectReferenceToken reference ? Object(reference.Data) : token;

    public DictionaryToken? Dictionary(IToken? token) => Resolve(token) switch
    {
        DictionaryToken dictionary => dictionary,
        StreamToken stream => stream.StreamDictionary,
        _ => null,
    };

    public void Dispose() => _document.Dispose();

    /// <summary>A file offset, or (when <see cref="Stream"/> is not 0) the object stream and the index in it.</summary>
    public readonly record struct Location(long Offset, long Stream, int Index);

    /// <summary>The first <c>length</c> bytes of a file, read-only, as a stream of its own; the file stays open.</summary>
    private sealed class PrefixStream(FileStream file, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var available = (int)Math.Min(buffer.Length, length - _position);
            if (available <= 0) return 0;
            file.Position = _position;
            var read = file.Read(buffer[..available]);
            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
