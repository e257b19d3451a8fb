extension Raster {
    /// A grid of small grey images, one per row of `values` (each row holds an image row-major).
    ///
    /// Values map linearly from `range.lowerBound` (white) to `range.upperBound` (black), clamped — dark
    /// ink on paper, as digit datasets are usually shown; NaN paints red so it cannot pass unnoticed.
    /// Each image is magnified `scale` times (nearest neighbour) and separated by `gap` pixels.
    ///
    /// - Precondition: `values.count` is a multiple of `imageRows · imageColumns`, at least one image,
    ///   `range` non-empty, `columns`, `scale` ≥ 1 and `gap` ≥ 0.
    public static func imageGrid(_ values: [Double], imageRows: Int, imageColumns: Int, range: ClosedRange<Double>,
                                 columns: Int, scale: Int = 4, gap: Int = 2) -> Raster {
        let size = imageRows * imageColumns
        precondition(size > 0 && !values.isEmpty && values.count % size == 0, "values do not hold whole \(imageRows)×\(imageColumns) images")
        precondition(range.upperBound > range.lowerBound && columns >= 1 && scale >= 1 && gap >= 0, "bad grid layout")
        let count = values.count / size
        let gridColumns = min(columns, count), gridRows = (count + columns - 1) / columns
        let cellW = imageColumns * scale + gap, cellH = imageRows * scale + gap
        var raster = Raster(width: gridColumns * cellW + gap, height: gridRows * cellH + gap, background: .gray(200))
        let span = range.upperBound - range.lowerBound
        for n in 0..<count {
            let ox = gap + (n % columns) * cellW, oy = gap + (n / columns) * cellH
            for r in 0..<imageRows {
                for c in 0..<imageColumns {
                    let v = values[n * size + r * imageColumns + c]
                    let color: Color
                    if v.isNaN {
                        color = Color(255, 0, 0)
                    } else {
                        let ink = min(max((v - range.lowerBound) / span, 0), 1)
                        color = .gray(UInt8((255 * (1 - ink)).rounded()))
                    }
                    raster.fill(x: ox + c * scale, y: oy + r * scale, width: scale, height: scale, color: color)
                }
            }
        }
        return raster
    }
}
