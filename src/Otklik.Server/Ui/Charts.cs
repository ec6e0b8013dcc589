using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Otklik.Application.Dashboard;

namespace Otklik.Server.Ui;

/// <summary>Charts drawn on the server as inline SVG: they work without scripts and print as they look.</summary>
public static class Charts
{
    private static readonly string[] s_palette = ["#2f6fde", "#1a7f37", "#d4a72c", "#cf222e", "#8250df", "#bf3989", "#0a7ea4", "#6e7781"];

    /// <summary>Stacked bars, one per time bucket, with a legend; each bar has a title for its numbers.</summary>
    public static IHtmlContent StackedBars(string id, string title, IReadOnlyList<DashboardQueries.Bucket> buckets, bool hourly, int maxSeries = 8)
    {
        var series = buckets.SelectMany(b => b.Counts).GroupBy(kv => kv.Key).OrderByDescending(g => g.Sum(kv => kv.Value)).Take(maxSeries).Select(g => g.Key).ToList();
        var max = Math.Max(1, buckets.Count == 0 ? 0 : buckets.Max(b => b.Counts.Where(kv => series.Contains(kv.Key)).Sum(kv => kv.Value)));
        const int Width = 720, Height = 180, Left = 36, Bottom = 22;
        var barWidth = buckets.Count == 0 ? 0 : (Width - Left) / (double)buckets.Count;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\"><figcaption>{WebUtility.HtmlEncode(title)}</figcaption>");
        sb.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height + Bottom}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"12\" class=\"axis\">{max}</text><line x1=\"{Left}\" y1=\"{Height}\" x2=\"{Width}\" y2=\"{Height}\" class=\"axis\"/>");
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var x = Left + (i * barWidth);
            var y = (double)Height;
            foreach (var (name, index) in series.Select((s, k) => (s, k)))
            {
                if (b.Counts.GetValueOrDefault(name) is var n && n == 0)
                {
                    continue;
                }
                var h = n * (Height - 16) / (double)max;
                y -= h;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 1:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(1, barWidth - 2):0.#}\" height=\"{h:0.#}\" fill=\"{s_palette[index % s_palette.Length]}\" data-series=\"{WebUtility.HtmlEncode(name)}\" data-count=\"{n}\"><title>{b.Start:dd.MM HH:mm} · {WebUtility.HtmlEncode(name)}: {n}</title></rect>");
            }
            if (buckets.Count <= 31 && (!hourly || i % 3 == 0))
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (barWidth / 2):0.#}\" y=\"{Height + 15}\" class=\"axis\" text-anchor=\"middle\">{(hourly ? b.Start.ToString("HH", CultureInfo.InvariantCulture) : b.Start.ToString("dd.MM", CultureInfo.InvariantCulture))}</text>");
            }
        }
        sb.Append("</svg><ul class=\"legend\">");
        foreach (var (name, index) in series.Select((s, k) => (s, k)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><span style=\"background:{s_palette[index % s_palette.Length]}\"></span>{WebUtility.HtmlEncode(name)}</li>");
        }
        sb.Append("</ul></figure>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>A horizontal bar for a share (0–1), with the number written next to it.</summary>
    public static IHtmlContent Share(double? rate)
    {
        if (rate is not { } r)
        {
            return new HtmlString("<span class=\"muted\">—</span>");
        }
        var pct = (r * 100).ToString("0.0", CultureInfo.InvariantCulture);
        return new HtmlString($"<span class=\"share\"><span style=\"width:{pct}%\"></span></span> {pct} %");
    }
}
