import Foundation

extension Raster {
    /// A square scatter plot of 2-D points over the window `[-extent, extent]²`.
    ///
    /// Grid lines are drawn every ``scatterGridSpacing(extent:)`` (1 for windows up to ±10, else the power of
    /// ten that leaves at most about 20 lines), darker through the origin; `reference` points
    /// (for example exact draws) are drawn first in grey, then `points` in blue, each a 3 × 3 dot at
    /// opacity `alpha`, so density shows as colour depth. Points outside the window are left out; the
    /// caller states the window in its caption, since the picture carries no text.
    ///
    /// - Precondition: `points` and `reference` hold `(x, y)` pairs; `extent > 0`; `size ≥ 16`.
    public static func scatter(_ points: [Double], reference: [Double] = [], extent: Double, size: Int = 600,
                               alpha: Double = 0.25) -> Raster {
        precondition(points.count % 2 == 0 && reference.count % 2 == 0, "points must be (x, y) pairs")
        precondition(extent > 0 && extent.isFinite && size >= 16, "bad scatter window")
        var raster = Raster(width: size, height: size)
        let pixelsPerUnit = Double(size - 1) / (2 * extent)
        func pixel(_ v: Double) -> Int { Int(((v + extent) * pixelsPerUnit).rounded()) }
        // Lines by multiples of the spacing: a window of ±1e7 once meant 2e7 lines, and ±1e20 trapped in Int().
        let spacing = scatterGridSpacing(extent: extent)
        let lines = Int((extent / spacing).rounded(.down))
        for k in -lines...lines {
            let p = pixel(Double(k) * spacing), shade = Color.gray(k == 0 ? 150 : 225)
            raster.fill(x: p, y: 0, width: 1, height: size, color: shade)
            raster.fill(x: 0, y: size - 1 - p, width: size, height: 1, color: shade)
        }
        func draw(_ xy: [Double], _ color: Color) {
            for i in stride(from: 0, to: xy.count, by: 2) where xy[i].isFinite && xy[i + 1].isFinite {
                guard abs(xy[i]) <= extent, abs(xy[i + 1]) <= extent else { continue }
                let px = pixel(xy[i]), py = size - 1 - pixel(xy[i + 1])
                for dy in -1...1 { for dx in -1...1 { raster.blend(x: px + dx, y: py + dy, color: color, alpha: alpha) } }
            }
        }
        draw(reference, .gray(90))
        draw(points, Color(31, 90, 200))
        return raster
    }

    /// The distance between grid lines of a scatter plot over `[-extent, extent]²`.
    public static func scatterGridSpacing(extent: Double) -> Double {
        extent <= 10 ? 1 : pow(10, (log10(extent / 10)).rounded(.up))
    }
}
