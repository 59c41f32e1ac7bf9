using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// Tells which changes made after a signature are permitted (ISO 32000-1 §12.8.2.2, with the
/// additions of PAdES) and which are not. The document is read as it stood at each signed revision
/// and at the file's end; between two of them, the objects whose cross-reference entries differ are
/// compared, and only those (with the objects they newly reference) are read.
/// Permitted after a signature: a later signature (its dictionary, field, widget and appearance, the
/// AcroForm's /Fields and /SigFlags, the page's /Annots, the catalog's /AcroForm), the document
/// security store, stamps drawn in the same revision as a later signature (MotCua's QR code and copy
/// marks), and filling fields that existed (value, appearance, read-only flag) unless the document's
/// certification is P=1; annotations only under P=3. Everything else is reported.
/// </summary>
internal static class RevisionChanges
{
    private const int Always = 0, FormFillingOrSigning = 2, Annotations = 3, Never = int.MaxValue;
    private const int MaxPages = 20_000, MaxFields = 10_000, MaxDepth = 64;

    private sealed record Change(int Needs, string Reason);

    /// <summary>
    /// For each end of a signed revision, why a change after it is not permitted, or null when every
    /// change after it is. <paramref name="trailing"/>: the file goes on after the last signed revision.
    /// </summary>
    public static IReadOnlyDictionary<long, string?> Judge(FileStream file, IReadOnlyCollection<long> signedEnds, bool trailing)
    {
        var ends = signedEnds.Distinct().Order().ToList();
        var boundaries = trailing ? [.. ends, file.Length] : ends;
        var segments = new List<IReadOnlyList<Change>>();
        var permissions = new List<int?>();
        RevisionView? before = null;
        string? unreadable = null;
        try
        {
            for (var i = 0; i < boundaries.Count; i++)
            {
                RevisionView? after = null;
                try
                {
                    after = RevisionView.Open(file, boundaries[i]);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    unreadable = e.Message;
                }
                permissions.Add(after is null ? null : Permission(after));
                if (i > 0)
                {
                    segments.Add(before is null || after is null ? [new Change(Never, Unreadable(unreadable))]
                        : i >= ends.Count && !IsRevision(file, after, ends[^1]) ? [new Change(Never, NotARevision)]
                        : Classify(before, after, carriesSignature: i < ends.Count));
                }
                before?.Dispose();
                before = after;
            }
        }
        finally
        {
            before?.Dispose();
        }

        var verdicts = new Dictionary<long, string?>();
        for (var k = 0; k < ends.Count; k++)
        {
            var allowed = permissions.ElementAtOrDefault(k) switch { 1 => Always, >= 3 => Annotations, _ => FormFillingOrSigning };
            var refused = segments.Skip(k).SelectMany(s => s).FirstOrDefault(c => c.Needs > allowed);
            verdicts[ends[k]] = refused is null ? null
                : refused.Needs == Never ? refused.Reason
                : $"{refused.Reason} Chứng thực của tài liệu (P={permissions[k]}) không cho phép thay đổi này. / The document's certification (P={permissions[k]}) does not permit this change.";
        }
        return verdicts;
    }

    private const string NotARevision = "Dữ liệu không phải là một lần cập nhật tài liệu được ghi thêm vào cuối tệp sau khi ký. "
        + "/ Data that is not a revision of the document was appended after this signature.";

    /// <summary>
    /// What follows the last signed revision is a revision of its own: its cross-reference section lies
    /// after it, and the file ends with that revision's <c>%%EOF</c> (a lenient reader would otherwise
    /// find objects in bytes a strict one ignores).
    /// </summary>
    private static bool IsRevision(FileStream file, RevisionView view, long signedEnd)
    {
        if (view.SectionOffsets.Count == 0 || view.SectionOffsets.Max() < signedEnd) return false;
        var tail = new byte[(int)Math.Min(1024, file.Length - signedEnd)];
        file.Position = file.Length - tail.Length;
        file.ReadExactly(tail);
        var end = tail.AsSpan().LastIndexOf("%%EOF"u8);
        return end >= 0 && tail.AsSpan(end + 5).IndexOfAnyExcept("\r\n \0"u8) < 0;
    }

    private static string Unreadable(string? detail) =>
        $"Không đọc được các phần được thêm vào tệp sau khi ký ({detail}). / The revisions added after this signature cannot be read: {detail}";

    /// <summary>The <c>/P</c> of the catalog's <c>/Perms /DocMDP</c> signature (2 when not given); null when the document is not certified.</summary>
    private static int? Permission(RevisionView view)
    {
        var catalog = view.Dictionary(new IndirectReferenceToken(view.Root));
        if (view.Dictionary(catalog?.Data.GetValueOrDefault("Perms")) is not { } perms) return null;
        if (view.Dictionary(perms.Data.GetValueOrDefault("DocMDP")) is not { } signature) return null;
        if (view.Resolve(signature.Data.GetValueOrDefault("Reference")) is ArrayToken references)
        {
            foreach (var reference in references.Data.Select(view.Dictionary))
            {
                if (reference is null || (reference.Data.GetValueOrDefault("TransformMethod") as NameToken)?.Data != "DocMDP") continue;
                return view.Dictionary(reference.Data.GetValueOrDefault("TransformParams"))?.Data.GetValueOrDefault("P") is NumericToken p ? p.Int : 2;
            }
        }
        return 2;
    }

    private static IReadOnlyList<Change> Classify(RevisionView before, RevisionView after, bool carriesSignature)
    {
        if (!before.Root.Equals(after.Root))
            return [new Change(Never, "Tài liệu được thay bằng một danh mục khác sau khi ký. / The document's catalog was replaced after this signature.")];
        var comparison = new Comparison(before, after, carriesSignature);
        comparison.Run();
        return comparison.Changes;
    }

    private enum Kind
    {
        Catalog,
        AcroForm,
        FieldList,
        Field,
        PageTree,
        Page,
        AnnotationList,
        Annotation,
        Content,
        Resources,
        SecurityStore,
        Information,
    }

    private sealed record Role(Kind Kind, int Page = 0, string? Name = null, string? FieldType = null);

    private sealed class Comparison(RevisionView before, RevisionView after, bool carriesSignature)
    {
        private readonly Dictionary<IndirectReference, Role> _roles = [];
        private readonly HashSet<IndirectReference> _added = [];
        private readonly List<IToken> _accounted = [];

        public List<Change> Changes { get; } = [];

        public void Run()
        {
            var changed = new List<IndirectReference>();
            foreach (var (reference, offset) in after.Offsets)
            {
                if (!before.Offsets.TryGetValue(reference, out var previous)) _added.Add(reference);
                else if (previous != offset) changed.Add(reference);
            }
            // An object in an object stream keeps its entry when a later revision rewrites the stream under the same number.
            var rewritten = changed.Concat(_added).Select(r => r.ObjectNumber).ToHashSet();
            foreach (var (reference, location) in after.Offsets)
            {
                if (location.Stream != 0 && before.Offsets.GetValueOrDefault(reference) == location && rewritten.Contains(location.Stream))
                    changed.Add(reference);
            }
            foreach (var reference in before.Offsets.Keys.Where(r => !after.Offsets.ContainsKey(r)).Take(1))
                Forbid($"Đối tượng {reference.ObjectNumber} bị xóa khỏi tài liệu sau khi ký. / Object {reference.ObjectNumber} was removed from the document after this signature.");
            if (!Equals(before.Info, after.Info))
                Forbid("Thông tin tài liệu bị thay đổi sau khi ký. / The document information was changed after this signature.");

            LearnRoles();
            foreach (var reference in changed.OrderBy(r => r.ObjectNumber))
            {
                if (Changes.Any(c => c.Needs == Never)) return;
                Compare(reference);
            }
            Account();
        }

        private void Need(int needs, string reason) => Changes.Add(new Change(needs, reason));

        private void Forbid(string reason) => Changes.Add(new Change(Never, reason));

        private void Compare(IndirectReference reference)
        {
            var role = _roles.GetValueOrDefault(reference);
            switch (role?.Kind)
            {
                case Kind.Catalog:
                    CompareDictionaries(reference, (key, old, now) =>
                    {
                        if (key == "AcroForm") CompareForms(before.Dictionary(old), now);
                        else if (key == "DSS") _accounted.Add(now!);
                        else Forbid($"Danh mục tài liệu bị thay đổi (/{key}) sau khi ký. / The document catalog was changed (/{key}) after this signature.");
                    });
                    break;
                case Kind.AcroForm:
                    CompareForms(before.Dictionary(new IndirectReferenceToken(reference)), new IndirectReferenceToken(reference));
                    break;
                case Kind.FieldList:
                    CompareLists(before.Resolve(new IndirectReferenceToken(reference)), after.Resolve(new IndirectReferenceToken(reference)), fields: true, 0);
                    break;
                case Kind.Page:
                    CompareDictionaries(reference, (key, old, now) =>
                    {
                        if (key == "Annots") CompareLists(before.Resolve(old), after.Resolve(now), fields: false, role.Page, now);
                        else if (key == "Contents") Forbid(ContentChanged(role.Page));
                        else if (key == "Resources") Forbid(ResourcesChanged(role.Page));
                        else Forbid($"Trang {role.Page} bị thay đổi (/{key}) sau khi ký. / Page {role.Page} was changed (/{key}) after this signature.");
                    });
                    break;
                case Kind.AnnotationList:
                    CompareLists(before.Resolve(new IndirectReferenceToken(reference)), after.Resolve(new IndirectReferenceToken(reference)), fields: false, role.Page);
                    break;
                case Kind.Field:
                    CompareField(reference, role);
                    break;
                case Kind.Annotation:
                    if (Same(before.Object(reference), after.Object(reference))) break;
                    Need(Annotations, $"Một chú thích trên trang {role.Page} bị sửa sau khi ký. / An annotation on page {role.Page} was changed after this signature.");
                    _accounted.Add(after.Object(reference)!);
                    break;
                case Kind.SecurityStore:
                    _accounted.Add(after.Object(reference)!);
                    break;
                case Kind.PageTree:
                    if (!Same(before.Object(reference), after.Object(reference)))
                        Forbid("Trang của tài liệu bị thêm, bớt hoặc sắp xếp lại sau khi ký. / Pages were added, removed or reordered after this signature.");
                    break;
                case Kind.Content:
                    Forbid(ContentChanged(role.Page));
                    break;
                case Kind.Resources:
                    Forbid(ResourcesChanged(role.Page));
                    break;
                case Kind.Information:
                    Forbid("Thông tin tài liệu bị thay đổi sau khi ký. / The document information was changed after this signature.");
                    break;
                default:
                    // Not read: a stream of any size that nothing permitted may change.
                    Forbid($"Đối tượng {reference.ObjectNumber} của tài liệu bị thay đổi sau khi ký. / Object {reference.ObjectNumber} of the document was changed after this signature.");
                    break;
            }
        }

        private static string ContentChanged(int page) =>
            $"Nội dung trang {page} bị thay đổi sau khi ký. / The content of page {page} was changed after this signature.";

        private static string ResourcesChanged(int page) =>
            $"Tài nguyên (phông chữ, hình ảnh) của trang {page} bị thay đổi sau khi ký. / The resources (fonts, images) of page {page} were changed after this signature.";

        private void CompareDictionaries(IndirectReference reference, Action<string, IToken?, IToken?> differs)
        {
            var old = before.Dictionary(new IndirectReferenceToken(reference));
            var now = after.Dictionary(new IndirectReferenceToken(reference));
            if (old is null || now is null || before.Object(reference) is StreamToken != after.Object(reference) is StreamToken)
            {
                Forbid($"Đối tượng {reference.ObjectNumber} của tài liệu bị thay đổi sau khi ký. / Object {reference.ObjectNumber} of the document was changed after this signature.");
                return;
            }
            foreach (var key in old.Data.Keys.Union(now.Data.Keys))
            {
                var (o, n) = (old.Data.GetValueOrDefault(key), now.Data.GetValueOrDefault(key));
                if (!Same(o, n)) differs(key, o, n);
            }
        }

        private void CompareForms(DictionaryToken? old, IToken? nowToken)
        {
            var now = after.Dictionary(nowToken);
            if (now is null)
            {
                Forbid("Biểu mẫu của tài liệu bị xóa sau khi ký. / The document's form was removed after this signature.");
                return;
            }
            if (nowToken is IndirectReferenceToken reference && _added.Contains(reference.Data)) _accounted.Add(nowToken);
            old ??= new DictionaryToken(new Dictionary<NameToken, IToken>());
            foreach (var key in old.Data.Keys.Union(now.Data.Keys))
            {
                var (o, n) = (old.Data.GetValueOrDefault(key), now.Data.GetValueOrDefault(key));
                if (Same(o, n) || key == "SigFlags") continue;
                if (key == "Fields") CompareLists(before.Resolve(o), after.Resolve(n), fields: true, 0, n);
                else Forbid($"Biểu mẫu của tài liệu bị thay đổi (/{key}) sau khi ký. / The document's form was changed (/{key}) after this signature.");
            }
        }

        /// <summary>A list of fields or of a page's annotations may only grow, and only by what is permitted to be added.</summary>
        private void CompareLists(IToken? old, IToken? now, bool fields, int page, IToken? holder = null)
        {
            if (holder is IndirectReferenceToken list && _added.Contains(list.Data)) _accounted.Add(holder);
            var kept = (old as ArrayToken)?.Data.OfType<IndirectReferenceToken>().Select(r => r.Data).ToHashSet() ?? [];
            var current = (now as ArrayToken)?.Data.OfType<IndirectReferenceToken>().Select(r => r.Data).ToList() ?? [];
            if (!kept.IsSubsetOf(current))
            {
                Forbid(fields
                    ? "Một trường biểu mẫu bị xóa sau khi ký. / A form field was removed after this signature."
                    : $"Một chú thích bị xóa khỏi trang {page} sau khi ký. / An annotation was removed from page {page} after this signature.");
                return;
            }
            foreach (var added in current.Where(r => !kept.Contains(r)).Distinct())
            {
                if (!_added.Contains(added))
                {
                    Forbid($"Đối tượng {added.ObjectNumber} có sẵn được gắn lại vào tài liệu sau khi ký. / The existing object {added.ObjectNumber} was attached anew after this signature.");
                    continue;
                }
                var dictionary = after.Dictionary(new IndirectReferenceToken(added));
                var subtype = (dictionary?.Data.GetValueOrDefault("Subtype") as NameToken)?.Data;
                if (FieldType(dictionary) == "Sig") AddedSignature(dictionary!);
                else if (fields || subtype == "Widget")
                    Forbid("Một trường biểu mẫu được thêm sau khi ký. / A form field was added after this signature.");
                else if (subtype == "Stamp" && carriesSignature)
                    Need(FormFillingOrSigning, $"Một dấu được thêm vào trang {page} cùng chữ ký sau. / A stamp was added to page {page} with a later signature.");
                else
                    Need(Annotations, $"Một chú thích ({subtype ?? "?"}) được thêm vào trang {page} sau khi ký. / An annotation ({subtype ?? "?"}) was added to page {page} after this signature.");
                _accounted.Add(new IndirectReferenceToken(added));
            }
        }

        private void AddedSignature(DictionaryToken field)
        {
            if (!carriesSignature)
            {
                Forbid("Một trường chữ ký được thêm mà không chữ ký nào bao phủ nó. / A signature field was added that no signature covers.");
                return;
            }
            var value = after.Dictionary(field.Data.GetValueOrDefault("V"));
            var timestamp = (value?.Data.GetValueOrDefault("SubFilter") as NameToken)?.Data == "ETSI.RFC3161";
            Need(timestamp ? Always : FormFillingOrSigning, "Một chữ ký được thêm sau chữ ký này. / A signature was added after this one.");
        }

        private string? FieldType(DictionaryToken? field)
        {
            for (var depth = 0; field is not null && depth < MaxDepth; depth++)
            {
                if (field.Data.GetValueOrDefault("FT") is NameToken type) return type.Data;
                field = after.Dictionary(field.Data.GetValueOrDefault("Parent"));
            }
            return null;
        }

        private void CompareField(IndirectReference reference, Role role)
        {
            var name = role.Name ?? reference.ObjectNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var signature = role.FieldType == "Sig";
            CompareDictionaries(reference, (key, old, now) =>
            {
                switch (key)
                {
                    case "V" or "AP" or "AS" when signature:
                        if (!carriesSignature) Forbid("Một trường chữ ký được ký mà không chữ ký nào bao phủ nó. / A signature field was signed with no signature covering it.");
                        else Need(FormFillingOrSigning, "Một chữ ký được thêm sau chữ ký này. / A signature was added after this one.");
                        if (now is not null) _accounted.Add(now);
                        break;
                    case "V" or "AP" or "AS":
                        Need(FormFillingOrSigning, $"Trường biểu mẫu “{name}” được điền sau khi ký. / The form field \"{name}\" was filled after this signature.");
                        if (now is not null) _accounted.Add(now);
                        break;
                    case "Ff" when !signature && (old as NumericToken)?.Int is var flags && now is NumericToken n && n.Int == ((flags ?? 0) | 1):
                        Need(FormFillingOrSigning, $"Trường biểu mẫu “{name}” được khóa sau khi điền. / The form field \"{name}\" was made read-only after filling.");
                        break;
                    default:
                        Forbid($"Trường biểu mẫu “{name}” bị thay đổi (/{key}) sau khi ký. / The form field \"{name}\" was changed (/{key}) after this signature.");
                        break;
                }
            });
        }

        /// <summary>Every object added must hang from a permitted change; an orphan could fill a reference the signed revision left dangling.</summary>
        private void Account()
        {
            var reached = new HashSet<IndirectReference>();
            var queue = new Queue<IndirectReference>();
            void Visit(IToken? token, int depth)
            {
                switch (token)
                {
                    case IndirectReferenceToken r when _added.Contains(r.Data) && reached.Add(r.Data):
                        queue.Enqueue(r.Data);
                        break;
                    case ArrayToken array when depth < MaxDepth:
                        foreach (var item in array.Data) Visit(item, depth + 1);
                        break;
                    case DictionaryToken dictionary when depth < MaxDepth:
                        foreach (var value in dictionary.Data.Values) Visit(value, depth + 1);
                        break;
                    case StreamToken stream:
                        Visit(stream.StreamDictionary, depth + 1);
                        break;
                }
            }
            foreach (var token in _accounted) Visit(token, 0);
            while (queue.Count > 0) Visit(after.Object(queue.Dequeue()), 0);

            var containers = after.Offsets.Values.Where(l => l.Stream != 0).Select(l => l.Stream).ToHashSet();
            foreach (var orphan in _added.Where(r => !reached.Contains(r)).OrderBy(r => r.ObjectNumber))
            {
                var location = after.Offsets[orphan];
                if ((location.Stream == 0 && after.SectionOffsets.Contains(location.Offset)) || containers.Contains(orphan.ObjectNumber)) continue;
                Forbid($"Đối tượng {orphan.ObjectNumber} được thêm mà không thuộc chữ ký, trường biểu mẫu hay kho xác thực nào. / Object {orphan.ObjectNumber} was added outside any signature, form field or security store.");
                return;
            }
        }

        /// <summary>What each object of the signed revision is: read from the catalog, the form's fields, the security store and the page tree.</summary>
        private void LearnRoles()
        {
            Learn(new IndirectReferenceToken(before.Root), new Role(Kind.Catalog));
            if (before.Info is { } info) Learn(new IndirectReferenceToken(info), new Role(Kind.Information));
            var catalog = before.Dictionary(new IndirectReferenceToken(before.Root));
            if (catalog is null) return;

            var form = catalog.Data.GetValueOrDefault("AcroForm");
            Learn(form, new Role(Kind.AcroForm));
            var fields = before.Dictionary(form)?.Data.GetValueOrDefault("Fields");
            Learn(fields, new Role(Kind.FieldList));
            var count = 0;
            foreach (var field in (before.Resolve(fields) as ArrayToken)?.Data ?? [])
                LearnField(field, null, null, 0, ref count);

            var store = catalog.Data.GetValueOrDefault("DSS");
            Learn(store, new Role(Kind.SecurityStore));
            foreach (var part in before.Dictionary(store)?.Data.Values ?? [])
            {
                Learn(part, new Role(Kind.SecurityStore));
                if (before.Resolve(part) is DictionaryToken vri)
                    foreach (var entry in vri.Data.Values) Learn(entry, new Role(Kind.SecurityStore));
            }

            var pages = 0;
            LearnPages(catalog.Data.GetValueOrDefault("Pages"), 0, ref pages);
        }

        private void LearnField(IToken? token, string? parentName, string? parentType, int depth, ref int count)
        {
            if (token is not IndirectReferenceToken reference || depth > MaxDepth || ++count > MaxFields || _roles.ContainsKey(reference.Data)) return;
            var field = before.Dictionary(token);
            if (field is null) return;
            var partial = field.Data.GetValueOrDefault("T") switch { StringToken s => s.Data, HexToken h => h.Data, _ => null };
            var name = partial is null ? parentName : parentName is null ? partial : $"{parentName}.{partial}";
            var type = (field.Data.GetValueOrDefault("FT") as NameToken)?.Data ?? parentType;
            _roles[reference.Data] = new Role(Kind.Field, Name: name, FieldType: type);
            foreach (var kid in (before.Resolve(field.Data.GetValueOrDefault("Kids")) as ArrayToken)?.Data ?? [])
                LearnField(kid, name, type, depth + 1, ref count);
        }

        private void LearnPages(IToken? token, int depth, ref int pages)
        {
            if (token is not IndirectReferenceToken reference || depth > MaxDepth || pages > MaxPages || _roles.ContainsKey(reference.Data)) return;
            var node = before.Dictionary(token);
            if (node is null) return;
            if (before.Resolve(node.Data.GetValueOrDefault("Kids")) is ArrayToken kids && (node.Data.GetValueOrDefault("Type") as NameToken)?.Data != "Page")
            {
                _roles[reference.Data] = new Role(Kind.PageTree);
                foreach (var kid in kids.Data) LearnPages(kid, depth + 1, ref pages);
                return;
            }
            var page = ++pages;
            _roles[reference.Data] = new Role(Kind.Page, page);
            var annotations = node.Data.GetValueOrDefault("Annots");
            Learn(annotations, new Role(Kind.AnnotationList, page));
            foreach (var annotation in (before.Resolve(annotations) as ArrayToken)?.Data ?? []) Learn(annotation, new Role(Kind.Annotation, page));
            var contents = node.Data.GetValueOrDefault("Contents");
            Learn(contents, new Role(Kind.Content, page));
            if (contents is IndirectReferenceToken && before.Resolve(contents) is ArrayToken parts)
                foreach (var part in parts.Data) Learn(part, new Role(Kind.Content, page));
            else if (contents is ArrayToken inline)
                foreach (var part in inline.Data) Learn(part, new Role(Kind.Content, page));
            Learn(node.Data.GetValueOrDefault("Resources"), new Role(Kind.Resources, page));
        }

        private void Learn(IToken? token, Role role)
        {
            if (token is IndirectReferenceToken reference) _roles.TryAdd(reference.Data, role);
        }

        private static bool Same(IToken? a, IToken? b) => (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (NameToken x, NameToken y) => x.Data == y.Data,
            (NumericToken x, NumericToken y) => x.Data == y.Data,
            (StringToken x, StringToken y) => x.Data == y.Data,
            (HexToken x, HexToken y) => x.Bytes.SequenceEqual(y.Bytes),
            (BooleanToken x, BooleanToken y) => x.Data == y.Data,
            (NullToken, NullToken) => true,
            (IndirectReferenceToken x, IndirectReferenceToken y) => x.Data.Equals(y.Data),
            (ArrayToken x, ArrayToken y) => x.Length == y.Length && x.Data.Zip(y.Data).All(p => Same(p.First, p.Second)),
            (DictionaryToken x, DictionaryToken y) => x.Data.Count == y.Data.Count
                && x.Data.All(e => y.Data.TryGetValue(e.Key, out var other) && Same(e.Value, other)),
            (StreamToken x, StreamToken y) => Same(x.StreamDictionary, y.StreamDictionary) && x.Data.Span.SequenceEqual(y.Data.Span),
            _ => false,
        };
    }
}
