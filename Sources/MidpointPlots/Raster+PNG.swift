import MidpointFormats

extension Raster {
    /// The bytes of a PNG file showing this picture.
    public func pngData() -> [UInt8] {
        PNG.encode(width: width, height: height, pixels: pixels)
    }

    /// Writes this picture as a PNG file, replacing any existing file atomically.
    public func writePNG(to path: String) throws(PNGError) {
        try PNG.write(width: width, height: height, pixels: pixels, to: path)
    }
}
