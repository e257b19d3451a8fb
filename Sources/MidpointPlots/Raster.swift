/// An RGB picture, 8 bits per channel, row-major from the top-left corner: what ``PNG`` encodes.
public struct Raster: Sendable, Equatable {
    /// An sRGB colour.
    public struct Color: Sendable, Equatable {
        public var red: UInt8, green: UInt8, blue: UInt8
        /// A colour from its channels.
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { self.red = red; self.green = green; self.blue = blue }
        /// A grey level (0 black, 255 white).
        public static func gray(_ level: UInt8) -> Color { Color(level, level, level) }
        public static let white = Color(255, 255, 255)
        public static let black = Color(0, 0, 0)
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `3·width·height` bytes, RGB per pixel.
    public private(set) var pixels: [UInt8]

    /// A `width × height` picture filled with `background`.
    /// - Precondition: `1 ≤ width, height ≤ 16384`.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition((1...16_384).contains(width) && (1...16_384).contains(height), "picture size \(width)×\(height) out of 1...16384")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: 3 * width * height)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    /// The colour at `(x, y)`.
    public subscript(x: Int, y: Int) -> Color {
        let i = 3 * (y * width + x)
        return Color(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Paints the rectangle (clipped to the picture).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        let x0 = max(x, 0), y0 = max(y, 0), x1 = min(x + w, width), y1 = min(y + h, height)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 {
                let i = 3 * (yy * width + xx)
                pixels[i] = color.red
                pixels[i + 1] = color.green
                pixels[i + 2] = color.blue
            }
        }
    }

    /// Blends `color` over the pixel at `(x, y)` with opacity `alpha` ∈ [0, 1] (ignored outside the picture).
    public mutating func blend(x: Int, y: Int, color: Color, alpha: Double) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let i = 3 * (y * width + x)
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 { UInt8((Double(old) * (1 - alpha) + Double(new) * alpha).rounded()) }
        pixels[i] = mix(pixels[i], color.red)
        pixels[i + 1] = mix(pixels[i + 1], color.green)
        pixels[i + 2] = mix(pixels[i + 2], color.blue)
    }
}
