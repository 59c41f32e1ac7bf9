using System.Text.RegularExpressions;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Appearance;
using StbImageSharp;
using StbImageWriteSharp;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>
/// The drawings of signatures and stamps, written into PDFs and read back by poppler: the text layer
/// (pdftotext), the embedded font and images (pdffonts, pdfimages) and the rendered page (pdftoppm),
/// and the QR code by zbar.
/// </summary>
public sealed partial class AppearanceTests
{
    private const string Unit = "000.21.31.H56";
    private const string Chairwoman = "demo-chairwoman";
    private static readonly PdfRectangle[] OnePage = [DrawingPdf.A4];
    private static readonly Lazy<AppearanceFonts> Fonts = new(() => AppearanceFonts.Load());

    private static readonly SigningAuthority OnBehalfOfCommittee = new(SigningAuthorityKind.OnBehalfOf, "Ủy ban nhân dân");

    private static AppearanceOptions Options() => new()
    {
        Agencies = { [Unit] = new AgencyAppearance { SealImage = "Demo/seal.png" } },
        People = { [Chairwoman] = new PersonAppearance { SignatureImage = "Demo/signature.png" } },
    };

    private static SignatureBlock ChairwomanBlock(SignatureAppearances appearances) =>
        appearances.Block(Unit, Chairwoman, OnBehalfOfCommittee, "Chủ tịch", "Nguyễn Thị Hồng Nhung");

    private static bool Red((byte R, byte G, byte B) p) => p.R > 150 && p.G < 110 && p.B < 110;

    private static bool Blue((byte R, byte G, byte B) p) => p.B > 110 && p.R < 110 && p.G < 130;

    private static SignatureImage Demo(string name) => SignatureImage.Load(Path.Combine(AppContext.BaseDirectory, "Demo", name));

    [Fact]
    public async Task SignatureBlock_TextLayer_ReadsAuthorityPositionAndNameInOrderWithDiacritics()
    {
        var appearances = new SignatureAppearances(Options());
        var placed = appearances.SignerBlock(Unit, ChairwomanBlock(appearances), OnePage, SignatureBlockLayers.All);

        var pdf = DrawingPdf.Create([placed]);

        var lines = (await Poppler.TextAsync(pdf)).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "\f");
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Thị Hồng Nhung"], lines);
        Assert.Matches(new Regex(@"^[A-Z]{6}\+DejaVuSans-Bold\s+TrueType\s+.*\byes\s+yes\s+yes\b", RegexOptions.Multiline), await Poppler.FontsAsync(pdf));
    }

    [Fact]
    public void SignatureBlock_Write_AddsAFormOfTheRequestedSizeWhoseResourcesAreAllInTheSink()
    {
        var appearances = new SignatureAppearances(Options());
        var sink = new CollectingSink();

        var form = sink.Get<StreamToken>(new SignatureBlockDrawing(ChairwomanBlock(appearances), Fonts.Value).Write(sink, 180, 120));

        Assert.Equal(NameToken.Form, Entry<NameToken>(form.StreamDictionary, NameToken.Subtype));
        Assert.Equal([0.0, 0, 180, 120], Entry<ArrayToken>(form.StreamDictionary, NameToken.Bbox).Data.Select(t => ((NumericToken)t).Double));
        var resources = Entry<DictionaryToken>(form.StreamDictionary, NameToken.Resources);
        var referenced = Entry<DictionaryToken>(resources, NameToken.Font).Data.Values.Concat(Entry<DictionaryToken>(resources, NameToken.Xobject).Data.Values)
            .Cast<IndirectReferenceToken>().ToList();
        Assert.Equal(3, referenced.Count); // one font subset, the signature and the seal
        Assert.All(referenced, r => Assert.InRange(r.Data.ObjectNumber, 1, sink.Objects.Count));
    }

    [Fact]
    public async Task SignatureBlock_Images_AreEmbeddedWithSoftMasksForTheirTransparency()
    {
        var appearances = new SignatureAppearances(Options());
        var pdf = DrawingPdf.Create([appearances.SignerBlock(Unit, ChairwomanBlock(appearances), OnePage, SignatureBlockLayers.All)]);

        var rows = ImageRows(await Poppler.ImagesAsync(pdf));

        Assert.Equal(["image 360x140 rgb", "smask 360x140 gray", "image 240x240 rgb", "smask 240x240 gray"], rows.Select(r => $"{r.Type} {r.Width}x{r.Height} {r.Color}"));
    }

    [Fact]
    public async Task SignatureBlock_Rendered_SealCoversTheLeftThirdOfTheSignatureBetweenPositionAndName()
    {
        var appearances = new SignatureAppearances(Options());
        var pdf = DrawingPdf.Create([appearances.SignerBlock(Unit, ChairwomanBlock(appearances), OnePage, SignatureBlockLayers.All)]);

        var page = await Poppler.RenderAsync(pdf);
        var words = await Poppler.WordsAsync(pdf);
        var signature = page.Bounds(Blue) ?? throw new Xunit.Sdk.XunitException("No signature ink on the page.");
        var seal = page.Bounds(Red) ?? throw new Xunit.Sdk.XunitException("No seal ink on the page.");

        // Between the position line and the name line.
        var positionBottom = words.Single(w => w.Text == "TỊCH").YMax * page.PixelsPerPoint;
        var nameTop = words.Single(w => w.Text == "Nguyễn").YMin * page.PixelsPerPoint;
        Assert.InRange(signature.Top, positionBottom, nameTop);
        Assert.InRange(signature.Bottom, positionBottom, nameTop);
        Assert.InRange(seal.Top, positionBottom, nameTop);
        Assert.InRange(seal.Bottom, positionBottom, nameTop);

        // The seal reaches a third of the way into the signature from its left, and stands beside it.
        var width = signature.Right - signature.Left;
        Assert.InRange(seal.Right, signature.Left + 0.25 * width, signature.Left + 0.40 * width);
        Assert.True(seal.Left < signature.Left, $"The seal ({seal}) should hang out to the left of the signature ({signature}).");
        Assert.True(seal.Top <= signature.Top && seal.Bottom >= signature.Bottom, $"The seal ({seal}) should span the signature's height ({signature}).");

        // The seal's ground is transparent: the signature's strokes under it still show.
        var strokesUnderSeal = page.Count(Blue, signature.Left, seal.Top, seal.Right - 3, seal.Bottom);
        Assert.True(strokesUnderSeal > 30, $"Only {strokesUnderSeal} signature pixels show through the seal.");
    }

    [Fact]
    public async Task SignatureBlock_SignerAndSealLayersDrawnApart_LandWhereTheWholeBlockDrawsThem()
    {
        var appearances = new SignatureAppearances(Options());
        var block = ChairwomanBlock(appearances);
        var whole = await Poppler.RenderAsync(DrawingPdf.Create([appearances.SignerBlock(Unit, block, OnePage, SignatureBlockLayers.All)]));
        var sealOnly = DrawingPdf.Create([appearances.SignerBlock(Unit, block, OnePage, SignatureBlockLayers.Seal)]);
        var layered = await Poppler.RenderAsync(DrawingPdf.Create(
        [
            appearances.SignerBlock(Unit, block, OnePage, SignatureBlockLayers.Signer),
            appearances.SignerBlock(Unit, block, OnePage, SignatureBlockLayers.Seal),
        ]));

        Assert.Equal(whole.Bounds(Red), layered.Bounds(Red));
        Assert.Equal(whole.Bounds(Blue), layered.Bounds(Blue));
        Assert.Equal("", (await Poppler.TextAsync(sealOnly)).Trim('\f', '\n', ' '));
        Assert.Null((await Poppler.RenderAsync(sealOnly)).Bounds(Blue));
    }

    [Fact]
    public async Task SignatureBlock_SmallRectangle_ScalesEverythingInsideIt()
    {
        var appearances = new SignatureAppearances(Options());
        var rectangle = new PdfRectangle(60, 640, 160, 690); // 100 × 50 points, y from the bottom
        var pdf = DrawingPdf.Create([new PlacedDrawing(new PdfPlacement(0, rectangle), new SignatureBlockDrawing(ChairwomanBlock(appearances), Fonts.Value))]);

        var words = await Poppler.WordsAsync(pdf);
        var page = await Poppler.RenderAsync(pdf);

        Assert.Equal(11, words.Count); // TM. ỦY BAN NHÂN DÂN · CHỦ TỊCH · Nguyễn Thị Hồng Nhung
        const double Slack = 0.5;
        Assert.All(words, w =>
        {
            Assert.InRange(w.XMin, rectangle.Left - Slack, rectangle.Right + Slack);
            Assert.InRange(w.XMax, rectangle.Left - Slack, rectangle.Right + Slack);
            Assert.InRange(842 - w.YMax, rectangle.Bottom - Slack, rectangle.Top + Slack);
            Assert.InRange(842 - w.YMin, rectangle.Bottom - Slack, rectangle.Top + Slack);
        });
        var ink = page.Bounds(p => p.R < 250 || p.G < 250 || p.B < 250)!.Value;
        var k = page.PixelsPerPoint;
        Assert.InRange(ink.Left, rectangle.Left * k - 1, rectangle.Right * k + 1);
        Assert.InRange(ink.Right, rectangle.Left * k - 1, rectangle.Right * k + 1);
        Assert.InRange(ink.Top, (842 - rectangle.Top) * k - 1, (842 - rectangle.Bottom) * k + 1);
        Assert.InRange(ink.Bottom, (842 - rectangle.Top) * k - 1, (842 - rectangle.Bottom) * k + 1);
    }

    [Fact]
    public async Task SignatureBlock_JpegSignature_IsEmbeddedAsItIsAndDrawn()
    {
        var jpeg = SignatureImage.FromBytes(Jpeg(Demo("signature.png")));
        var block = new SignatureBlock(new SigningAuthority(SigningAuthorityKind.Deputy, "Chủ tịch"), "Phó Chủ tịch", "Trần Văn Bình", jpeg, Demo("seal.png"));
        var pdf = DrawingPdf.Create([new PlacedDrawing(new PdfPlacement(0, new PdfRectangle(338, 71, 538, 201)), new SignatureBlockDrawing(block, Fonts.Value))]);

        var rows = ImageRows(await Poppler.ImagesAsync(pdf));
        var text = (await Poppler.TextAsync(pdf)).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "\f");
        var page = await Poppler.RenderAsync(pdf);

        Assert.Equal(["image 360x140 rgb jpeg", "image 240x240 rgb image", "smask 240x240 gray image"], rows.Select(r => $"{r.Type} {r.Width}x{r.Height} {r.Color} {r.Encoding}"));
        Assert.Equal(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình"], text);
        Assert.NotNull(page.Bounds(Blue));
    }

    [Fact]
    public async Task SignatureBlock_PalettePngSealWithTransparentIndex_KeepsItsGroundTransparent()
    {
        var block = new SignatureBlock(null, "Giám đốc", "Lê Minh Tâm", Demo("signature.png"), SignatureImage.FromBytes(PalettePngDisc(120)));
        var pdf = DrawingPdf.Create([new PlacedDrawing(new PdfPlacement(0, new PdfRectangle(338, 71, 538, 201)), new SignatureBlockDrawing(block, Fonts.Value))]);

        var rows = ImageRows(await Poppler.ImagesAsync(pdf));
        var page = await Poppler.RenderAsync(pdf);
        var signature = page.Bounds(Blue)!.Value;
        var seal = page.Bounds(Red)!.Value;

        Assert.Contains(rows, r => r is { Type: "smask", Width: 120, Height: 120 });
        // The disc's corners are transparent: the signature shows there, left of the disc's red.
        Assert.True(page.Count(Blue, signature.Left, seal.Top, seal.Right, seal.Bottom) > 30);
    }

    [Fact]
    public void SignatureBlock_PhotographSizedSignature_IsRefusedBeforeItIsDecoded()
    {
        using var png = new MemoryStream();
        new ImageWriter().WritePng(new byte[2100 * 2000 * 3], 2100, 2000, StbImageWriteSharp.ColorComponents.RedGreenBlue, png);
        var block = new SignatureBlock(null, "Chủ tịch", "Lê Văn Hùng", SignatureImage.FromBytes(png.ToArray()));

        var error = Assert.Throws<ArgumentException>(() => new SignatureBlockDrawing(block, Fonts.Value).Write(new CollectingSink(), 200, 130));

        Assert.Contains("2100×2000", error.Message);
    }

    [Fact]
    public async Task CopyStamp_DefaultPlacement_OneLineWithAgencyAndVietnamTimeAtTheTopRightOfPageOne()
    {
        var appearances = new SignatureAppearances(Options());
        var stamp = new CopyStamp("UBND xã Tân Phú", new DateTimeOffset(2026, 12, 2, 1, 15, 0, TimeSpan.Zero));
        var placed = appearances.CopyStamp(Unit, stamp, [DrawingPdf.A4, DrawingPdf.A4]);

        var pdf = DrawingPdf.Create([placed], pages: 2);

        Assert.Equal(0, placed.Placement.PageIndex);
        Assert.Equal("UBND xã Tân Phú · 2026-12-02T08:15:00+07:00", (await Poppler.TextAsync(pdf)).Trim('\f', '\n', ' '));
        var words = await Poppler.WordsAsync(pdf);
        Assert.InRange(words.Max(w => w.XMax), 595 - 28 - 3, 595 - 28 + 0.5); // flush with the right margin
        Assert.All(words, w => Assert.InRange(w.YMin, 20 - 0.5, 20 + 16 + 0.5));
        Assert.All(words, w => Assert.InRange(w.YMax - w.YMin, 5, 14)); // small print
    }

    [Fact]
    public async Task QrMark_DefaultPlacement_DecodesToTheCheckAddressWithCaptionAtTheBottomLeft()
    {
        var appearances = new SignatureAppearances(Options());
        var address = new Uri("https://motcua.khanhhoa.gov.vn/tra-cuu/van-ban/H56-2026-000123");
        var placed = appearances.QrMark(Unit, new QrMark(address), OnePage);

        var pdf = DrawingPdf.Create([placed]);

        Assert.Equal(address.AbsoluteUri, await Poppler.QrCodesAsync(pdf));
        Assert.Equal($"Tra cứu văn bản: {address.AbsoluteUri}", (await Poppler.TextAsync(pdf)).Trim('\f', '\n', ' '));
        var defaults = AppearancePlacement.QrMarkDefault();
        Assert.Equal(new PdfRectangle(28, 14, 28 + defaults.Width, 14 + defaults.Height), placed.Placement.Rectangle);
        var words = await Poppler.WordsAsync(pdf);
        Assert.All(words, w => Assert.InRange(w.XMin, 28 - 0.5, 28 + defaults.Width));
        Assert.All(words, w => Assert.InRange(842 - w.YMax, 14 - 0.5, 14 + defaults.Height));
    }

    private static T Entry<T>(DictionaryToken dictionary, NameToken key) where T : IToken =>
        dictionary.TryGet<T>(key, out var value) ? value : throw new Xunit.Sdk.XunitException($"No /{key.Data} in {dictionary}.");

    private sealed record ImageRow(string Type, int Width, int Height, string Color, string Encoding);

    /// <summary>The rows of <c>pdfimages -list</c>: page num type width height color comp bpc enc …</summary>
    private static List<ImageRow> ImageRows(string list) =>
    [
        .. list.Split('\n').Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length > 8)
            .Select(c => new ImageRow(c[2], int.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(c[4], System.Globalization.CultureInfo.InvariantCulture), c[5], c[8])),
    ];

    /// <summary>The PNG flattened on white and written as a baseline JPEG.</summary>
    private static byte[] Jpeg(SignatureImage png)
    {
        var rgba = ImageResult.FromMemory(png.Bytes, StbImageSharp.ColorComponents.RedGreenBlueAlpha);
        var rgb = new byte[rgba.Width * rgba.Height * 3];
        for (var i = 0; i < rgba.Width * rgba.Height; i++)
        {
            var alpha = rgba.Data[i * 4 + 3] / 255.0;
            for (var c = 0; c < 3; c++) rgb[i * 3 + c] = (byte)Math.Round(rgba.Data[i * 4 + c] * alpha + 255 * (1 - alpha));
        }
        using var output = new MemoryStream();
        new ImageWriter().WriteJpg(rgb, rgba.Width, rgba.Height, StbImageWriteSharp.ColorComponents.RedGreenBlue, output, 90);
        return output.ToArray();
    }

    /// <summary>A red disc as an indexed-colour PNG: index 0 fully transparent through tRNS, index 1 red.</summary>
    private static byte[] PalettePngDisc(int side)
    {
        var rows = new MemoryStream();
        for (var y = 0; y < side; y++)
        {
            rows.WriteByte(0);
            for (var x = 0; x < side; x++)
            {
                var (dx, dy) = (x + 0.5 - side / 2.0, y + 0.5 - side / 2.0);
                rows.WriteByte(dx * dx + dy * dy <= side * side / 4.0 ? (byte)1 : (byte)0);
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(rows.ToArray());

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        void Chunk(string type, byte[] data)
        {
            var kind = System.Text.Encoding.ASCII.GetBytes(type);
            png.Write(BigEndian((uint)data.Length));
            png.Write(kind);
            png.Write(data);
            png.Write(BigEndian(Crc32([.. kind, .. data])));
        }
        Chunk("IHDR", [.. BigEndian((uint)side), .. BigEndian((uint)side), 8, 3, 0, 0, 0]);
        Chunk("PLTE", [255, 255, 255, 205, 25, 30]);
        Chunk("tRNS", [0, 255]);
        Chunk("IDAT", compressed.ToArray());
        Chunk("IEND", []);
        return png.ToArray();
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
