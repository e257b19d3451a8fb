import Foundation

/// Small multiples of log-log line charts as a standalone SVG document: one panel per metric, one
/// line per series, an optional dashed reference line per panel (a noise floor), one shared legend.
///
/// Points that are not finite or not positive cannot be drawn on log axes and are skipped (a series
/// that diverged shows a gap rather than a wrong point).
public struct SVGChart: Sendable {
    /// One line.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// `(x, y)` points, drawn in order.
        public var points: [(Double, Double)]
        /// A series with a label and points.
        public init(name: String, points: [(Double, Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// One panel.
    public struct Panel: Sendable {
        /// Title above the panel (and the y-axis label).
        public var title: String
        /// The lines.
        public var series: [Series]
        /// A horizontal reference level drawn dashed, labelled `floorLabel`.
        public var floor: Double?
        /// A panel.
        public init(title: String, series: [Series], floor: Double? = nil) {
            self.title = title
            self.series = series
            self.floor = floor
        }
    }

    /// The chart's title.
    public var title: String
    /// The x-axis label shared by all panels.
    public var xLabel: String
    /// Label of the reference lines in the legend.
    public var floorLabel: String
    /// The panels, laid out left to right, top to bottom.
    public var panels: [Panel]
    /// Panels per row.
    public var columns: Int
    /// Where to put x-axis ticks (default: at every distinct x of the data).
    public var xTicks: [Double]?

    /// A chart.
    public init(title: String, xLabel: String, floorLabel: String = "noise floor (exact samples)", panels: [Panel],
                columns: Int = 3, xTicks: [Double]? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.floorLabel = floorLabel
        self.panels = panels
        self.columns = max(1, min(columns, panels.count))
        self.xTicks = xTicks
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                          "#bcbd22", "#7f7f7f", "#393b79", "#637939"]

    /// The SVG document.
    public func render() -> String {
        let panelWidth = 340.0, panelHeight = 250.0
        let margin = (left: 62.0, right: 14.0, top: 30.0, bottom: 44.0)
        let names = panels.flatMap { $0.series.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let legendRows = Int((Double(names.count + 1) / 5).rounded(.up))
        let headerHeight = 40.0 + 18.0 * Double(legendRows)
        let rows = (panels.count + columns - 1) / columns
        let width = panelWidth * Double(columns)
        let height = headerHeight + panelHeight * Double(rows)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="20" text-anchor="middle" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        // Legend: one entry per series name, colour by first appearance; then the floor.
        for (k, name) in names.enumerated() {
            let (lx, ly) = (20.0 + Double(k % 5) * (width - 40) / 5, 38.0 + 18.0 * Double(k / 5))
            let colour = Self.palette[k % Self.palette.count]
            svg += "<line x1=\"\(lx)\" y1=\"\(ly)\" x2=\"\(lx + 22)\" y2=\"\(ly)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            svg += "<circle cx=\"\(lx + 11)\" cy=\"\(ly)\" r=\"3\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(lx + 28)\" y=\"\(ly + 4)\">\(escape(name))</text>\n"
        }
        if !floorLabel.isEmpty {
            let k = names.count
            let (fx, fy) = (20.0 + Double(k % 5) * (width - 40) / 5, 38.0 + 18.0 * Double(k / 5))
            svg += "<line x1=\"\(fx)\" y1=\"\(fy)\" x2=\"\(fx + 22)\" y2=\"\(fy)\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>"
            svg += "<text x=\"\(fx + 28)\" y=\"\(fy + 4)\">\(escape(floorLabel))</text>\n"
        }

        for (p, panel) in panels.enumerated() {
            let ox = Double(p % columns) * panelWidth, oy = headerHeight + Double(p / columns) * panelHeight
            let plotW = panelWidth - margin.left - margin.right, plotH = panelHeight - margin.top - margin.bottom
            let px0 = ox + margin.left, py0 = oy + margin.top
            let points = panel.series.flatMap(\.points).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
            var ys = points.map(\.1)
            if let f = panel.floor, f > 0, f.isFinite { ys.append(f) }
            let xs = points.map(\.0)
            svg += "<text x=\"\(ox + panelWidth / 2)\" y=\"\(oy + 18)\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">\(escape(panel.title))</text>\n"
            svg += "<rect x=\"\(px0)\" y=\"\(py0)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#333\"/>\n"
            guard let xmin = xs.min(), let xmax = xs.max(), let ymin = ys.min(), let ymax = ys.max() else {
                svg += "<text x=\"\(px0 + plotW / 2)\" y=\"\(py0 + plotH / 2)\" text-anchor=\"middle\" fill=\"#888\">no finite data</text>\n"
                continue
            }
            let (lx0, lx1) = Self.range(log10(xmin), log10(xmax), pad: 0.05)
            let (ly0, ly1) = Self.range(log10(ymin), log10(ymax), pad: 0.08)
            func sx(_ x: Double) -> Double { px0 + (log10(x) - lx0) / (lx1 - lx0) * plotW }
            func sy(_ y: Double) -> Double { py0 + plotH - (log10(y) - ly0) / (ly1 - ly0) * plotH }
            // y ticks at decades (and 2×, 5× when few decades are visible).
            let decades = Int(floor(ly0))...Int(ceil(ly1))
            let multipliers: [Double] = ly1 - ly0 < 2.5 ? [1, 2, 5] : [1]
            for e in decades {
                for m in multipliers {
                    let v = m * pow(10, Double(e))
                    let l = log10(v)
                    guard l >= ly0, l <= ly1 else { continue }
                    let y = sy(v)
                    svg += "<line x1=\"\(px0)\" y1=\"\(y)\" x2=\"\(px0 + plotW)\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>"
                    svg += "<text x=\"\(px0 - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Self.tickLabel(v))</text>\n"
                }
            }
            // x ticks where asked (budgets), else at the distinct x values.
            for x in (xTicks ?? Set(xs).sorted()) where x > 0 && log10(x) >= lx0 && log10(x) <= lx1 {
                let X = sx(x)
                svg += "<line x1=\"\(X)\" y1=\"\(py0)\" x2=\"\(X)\" y2=\"\(py0 + plotH)\" stroke=\"#f0f0f0\"/>"
                svg += "<text x=\"\(X)\" y=\"\(py0 + plotH + 14)\" text-anchor=\"middle\">\(Self.tickLabel(x))</text>\n"
            }
            svg += "<text x=\"\(px0 + plotW / 2)\" y=\"\(py0 + plotH + 32)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
            svg += "<text transform=\"translate(\(ox + 14),\(py0 + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(panel.title))</text>\n"
            if let f = panel.floor, f > 0, f.isFinite {
                svg += "<line x1=\"\(px0)\" y1=\"\(sy(f))\" x2=\"\(px0 + plotW)\" y2=\"\(sy(f))\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>\n"
            }
            for series in panel.series {
                let colour = Self.palette[(names.firstIndex(of: series.name) ?? 0) % Self.palette.count]
                let drawable = series.points.map { ($0.0 > 0 && $0.1 > 0 && $0.1.isFinite) ? $0 : nil }
                var path = ""
                var pen = false
                for point in drawable {
                    guard let (x, y) = point else { pen = false; continue }
                    path += (pen ? " L" : " M") + "\(sx(x)),\(sy(y))"
                    pen = true
                }
                if !path.isEmpty {
                    svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>\n"
                }
                for case let (x, y)? in drawable {
                    svg += "<circle cx=\"\(sx(x))\" cy=\"\(sy(y))\" r=\"2.6\" fill=\"\(colour)\"><title>\(escape(series.name)): \(Self.tickLabel(y)) at \(Self.tickLabel(x))</title></circle>\n"
                }
            }
        }
        return svg + "</svg>\n"
    }

    static func range(_ lo: Double, _ hi: Double, pad: Double) -> (Double, Double) {
        let span = max(hi - lo, 0.3)
        let mid = (lo + hi) / 2
        return (mid - span / 2 - pad * span, mid + span / 2 + pad * span)
    }

    static func tickLabel(_ v: Double) -> String {
        if v >= 1, v < 100_000, v == v.rounded() { return String(Int(v)) }
        if v >= 0.01 && v < 100_000 { return String(format: "%.3g", v) }
        return String(format: "%.0e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e")
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
