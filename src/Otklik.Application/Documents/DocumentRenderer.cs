using System.Text;
using System.Text.Encodings.Web;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Otklik.Application.Documents;

/// <summary>Prints a claim document as HTML (every text encoded) or as PDF (PDFsharp, DejaVu Sans embedded for Cyrillic).</summary>
public static class DocumentRenderer
{
    private const string FontFamily = "DejaVu Sans";
    private static readonly Lock s_fontGate = new();

    public static string Html(ClaimDocument document)
    {
        // Cyrillic stays readable in the source; markup characters are still encoded.
        var e = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>").Append(e.Encode(document.Title)).Append("</title>")
          .Append("<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:760px;margin:2em auto;line-height:1.45;color:#111}")
          .Append("h1{text-align:center;font-size:1.5em}h2{font-size:1.1em;margin-top:1.4em}li{margin:.2em 0}.sig{margin-top:2.5em}")
          .Append("@media print{body{margin:0}}</style></head><body>");
        var inList = false;
        foreach (var block in document.Blocks)
        {
            if (block.Kind != BlockKind.Item && inList)
            {
                sb.Append("</ul>");
                inList = false;
            }
            var text = e.Encode(block.Text);
            switch (block.Kind)
            {
                case BlockKind.Title:
                    sb.Append("<h1>").Append(text).Append("</h1>");
                    break;
                case BlockKind.Heading:
                    sb.Append("<h2>").Append(text).Append("</h2>");
                    break;
                case BlockKind.Item:
                    if (!inList)
                    {
                        sb.Append("<ul>");
                        inList = true;
                    }
                    sb.Append("<li>").Append(text).Append("</li>");
                    break;
                case BlockKind.Signature:
                    sb.Append("<p class=\"sig\">").Append(text).Append("</p>");
                    break;
                default:
                    sb.Append("<p>").Append(text).Append("</p>");
                    break;
            }
        }
        if (inList)
        {
            sb.Append("</ul>");
        }
        return sb.Append("</body></html>").ToString();
    }

    public static byte[] Pdf(ClaimDocument document)
    {
        EnsureFonts();
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Creator = "Otklik";
        var regular = new XFont(FontFamily, 10.5, XFontStyleEx.Regular);
        var bold = new XFont(FontFamily, 11.5, XFontStyleEx.Bold);
        var title = new XFont(FontFamily, 16, XFontStyleEx.Bold);
        const double margin = 56;
        PdfPage page = pdf.AddPage();
        var gfx = XGraphics.FromPdfPage(page);
        var y = margin;
        var width = page.Width.Point - 2 * margin;

        void NewPage()
        {
            gfx.Dispose();
            page = pdf.AddPage();
            gfx = XGraphics.FromPdfPage(page);
            y = margin;
        }

        void Write(string text, XFont font, double indent, double spaceAfter, bool center = false)
        {
            var lineHeight = font.GetHeight() * 1.25;
            foreach (var line in Wrap(gfx, text, font, width - indent))
            {
                if (y + lineHeight > page.Height.Point - margin)
                {
                    NewPage();
                }
                var x = center ? margin + (width - gfx.MeasureString(line, font).Width) / 2 : margin + indent;
                gfx.DrawString(line, font, XBrushes.Black, new XPoint(x, y + font.GetHeight()));
                y += lineHeight;
            }
            y += spaceAfter;
        }

        foreach (var block in document.Blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Title:
                    y += 10;
                    Write(block.Text, title, 0, 12, center: true);
                    break;
                case BlockKind.Heading:
                    y += 6;
                    Write(block.Text, bold, 0, 4);
                    break;
                case BlockKind.Item:
                    Write(block.Text, regular, 14, 2);
                    break;
                case BlockKind.Signature:
                    y += 24;
                    Write(block.Text, regular, 0, 0);
                    break;
                default:
                    Write(block.Text, regular, 0, 6);
                    break;
            }
        }
        gfx.Dispose();
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    private static IEnumerable<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                yield return line.ToString();
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static void EnsureFonts()
    {
        lock (s_fontGate)
        {
            // PDFsharp's font resolver is process-wide and may be set once.
            if (GlobalFontSettings.FontResolver is not EmbeddedFontResolver)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
            }
        }
    }

    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            using var stream = typeof(DocumentRenderer).Assembly.GetManifestResourceStream($"Otklik.Application.Documents.{faceName}.ttf");
            if (stream is null)
            {
                return null;
            }
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
