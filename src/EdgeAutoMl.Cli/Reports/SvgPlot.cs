using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeAutoMl.Cli.Reports;

/// <summary>A point of a scatter plot: coordinates, whether it is on the front, and its hover text.</summary>
internal sealed record PlotPoint(double X, double Y, bool Highlight, string Title);

/// <summary>
/// Inline SVG charts for the HTML report: a scatter plot and a line trace. Hand-written on
/// purpose: the report must be one file that renders with no network and no script.
/// </summary>
internal static class SvgPlot
{
    private const int W = 420, H = 300, L = 62, R = 12, T = 28, B = 44;
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Label(double v) => Math.Abs(v) >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture)
        : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Scatter plot of <paramref name="points"/>; highlighted points (the front) drawn red.</summary>
    public static string Scatter(string title, string xLabel, string yLabel, IReadOnlyList<PlotPoint> points)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append($"<text x=\"{W / 2}\" y=\"16\" text-anchor=\"middle\" class=\"title\">{E(title)}</text>");
        if (points.Count == 0)
        {
            sb.Append($"<text x=\"{W / 2}\" y=\"{H / 2}\" text-anchor=\"middle\">no measured trials</text></svg>");
            return sb.ToString();
        }
        var (x0, x1) = Range(points.Select(p => p.X));
        var (y0, y1) = Range(points.Select(p => p.Y));
        double Px(double x) => L + (x - x0) / (x1 - x0) * (W - L - R);
        double Py(double y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
        Axes(sb, x0, x1, y0, y1, xLabel, yLabel);
        // No line through the front points: with more than two objectives the front is not a
        // curve in any 2-D view, and a line would suggest trade-offs that are not there.
        foreach (var p in points.OrderBy(p => p.Highlight))
            sb.Append($"<circle class=\"{(p.Highlight ? "pt front-pt" : "pt")}\" cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"{(p.Highlight ? 5 : 3.5)}\"><title>{E(p.Title)}</title></circle>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Current trace with the trigger level shaded, time in ms on x.</summary>
    public static string Trace(string title, double rateHz, IReadOnlyList<double?> current, IReadOnlyList<int> trigger)
    {
        var sb = new StringBuilder();
        const int w = 860;
        sb.Append($"<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{H}\" viewBox=\"0 0 {w} {H}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append($"<text x=\"{w / 2}\" y=\"16\" text-anchor=\"middle\" class=\"title\">{E(title)}</text>");
        var vals = current.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (vals.Count == 0) { sb.Append("</svg>"); return sb.ToString(); }
        double t1 = current.Count / rateHz * 1e3;
        var (y0, y1) = Range(vals.Append(0));
        double Px(int i) => L + (double)i / Math.Max(1, current.Count - 1) * (w - L - R);
        double Py(double y) => H - B - (y - y0) / (y1 - y0) * (H - T - B);
        // Shade the trigger windows first so the current line stays on top.
        for (int i = 0; i < trigger.Count; i++)
        {
            if (trigger[i] == 0 || (i > 0 && trigger[i - 1] == 1)) continue;
            int j = i;
            while (j < trigger.Count && trigger[j] == 1) j++;
            sb.Append($"<rect class=\"window\" x=\"{F(Px(i))}\" y=\"{T}\" width=\"{F(Math.Max(1, Px(j - 1) - Px(i)))}\" height=\"{H - T - B}\"/>");
        }
        AxesW(sb, w, 0, t1, y0, y1, "time (ms)", "current (µA)");
        var pts = new StringBuilder();
        for (int i = 0; i < current.Count; i++)
            if (current[i] is { } v) pts.Append($"{F(Px(i))},{F(Py(v))} ");
        sb.Append($"<polyline class=\"trace\" points=\"{pts}\"/></svg>");
        return sb.ToString();
    }

    private static void Axes(StringBuilder sb, double x0, double x1, double y0, double y1, string xl, string yl) =>
        AxesW(sb, W, x0, x1, y0, y1, xl, yl);

    private static void AxesW(StringBuilder sb, int w, double x0, double x1, double y0, double y1, string xl, string yl)
    {
        sb.Append($"<line class=\"axis\" x1=\"{L}\" y1=\"{H - B}\" x2=\"{w - R}\" y2=\"{H - B}\"/>");
        sb.Append($"<line class=\"axis\" x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\"/>");
        for (int k = 0; k <= 4; k++)
        {
            double fx = L + k / 4.0 * (w - L - R), fy = H - B - k / 4.0 * (H - T - B);
            sb.Append($"<text class=\"tick\" x=\"{F(fx)}\" y=\"{H - B + 14}\" text-anchor=\"middle\">{E(Label(x0 + k / 4.0 * (x1 - x0)))}</text>");
            sb.Append($"<text class=\"tick\" x=\"{L - 4}\" y=\"{F(fy + 4)}\" text-anchor=\"end\">{E(Label(y0 + k / 4.0 * (y1 - y0)))}</text>");
        }
        sb.Append($"<text x=\"{(L + w - R) / 2}\" y=\"{H - 6}\" text-anchor=\"middle\">{E(xl)}</text>");
        sb.Append($"<text x=\"14\" y=\"{(T + H - B) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(T + H - B) / 2})\">{E(yl)}</text>");
    }

    /// <summary>Range padded by 5% (and widened when all values are equal) so points are not on the frame.</summary>
    private static (double, double) Range(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToList();
        if (v.Count == 0) return (0, 1);
        double lo = v.Min(), hi = v.Max();
        if (hi - lo < 1e-12) { lo -= Math.Max(1e-6, Math.Abs(lo) * 0.05); hi += Math.Max(1e-6, Math.Abs(hi) * 0.05); }
        double pad = (hi - lo) * 0.05;
        return (lo - pad, hi + pad);
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
