import CZlib
import MidpointFormats
import MidpointPlots
import Testing

/// The PNG writer: checksums against their published check values, and a structural decode of the
/// files it writes (chunk CRCs, header fields, the zlib stream, every pixel).
@Suite struct PNGTests {
    @Test func checksumMatchesItsCheckValue() {
        // CRC-32/ISO-HDLC check value (the CRC catalogue's "123456789").
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.crc32([]) == 0)
    }

    /// Decodes a PNG written by `PNG.encode`: (width, height, RGB pixels).
    static func decode(_ file: [UInt8]) throws -> (Int, Int, [UInt8]) {
        func u32(_ i: Int) -> UInt32 { file[i..<(i + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        try #require(Array(file[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var i = 8, width = 0, height = 0
        var idat: [UInt8] = [], types: [String] = []
        while i < file.count {
            let length = Int(u32(i))
            let type = String(decoding: file[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(file[(i + 8)..<(i + 8 + length)])
            #expect(u32(i + 8 + length) == PNG.crc32(Array(file[(i + 4)..<(i + 8)]) + body), "CRC of \(type)")
            types.append(type)
            if type == "IHDR" {
                width = Int(u32(i + 8))
                height = Int(u32(i + 12))
                #expect(Array(body[8...]) == [8, 2, 0, 0, 0])
            }
            if type == "IDAT" { idat += body }
            i += 12 + length
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        // zlib: header check, then the stream inflates (zlib verifies its Adler-32) to exactly one filter
        // byte plus 3 bytes per pixel per row.
        #expect((UInt16(idat[0]) << 8 | UInt16(idat[1])) % 31 == 0 && idat[0] & 0x0F == 8)
        var length = uLong(height * (3 * width + 1))
        var inflated = [UInt8](repeating: 0, count: Int(length))
        let status = idat.withUnsafeBufferPointer { src in
            inflated.withUnsafeMutableBufferPointer { dst in uncompress(dst.baseAddress!, &length, src.baseAddress!, uLong(src.count)) }
        }
        try #require(status == Z_OK && Int(length) == inflated.count, "zlib status \(status), \(length) bytes")
        var pixels: [UInt8] = []
        for y in 0..<height {
            let row = y * (3 * width + 1)
            #expect(inflated[row] == 0, "filter byte")
            pixels += inflated[(row + 1)..<(row + 1 + 3 * width)]
        }
        return (width, height, pixels)
    }

    @Test(arguments: [(3, 2), (1, 1), (300, 100), (600, 600)])
    func roundTripsEveryPixel(_ size: (Int, Int)) throws {
        var raster = Raster(width: size.0, height: size.1)
        for y in 0..<size.1 { for x in 0..<size.0 { raster.fill(x: x, y: y, width: 1, height: 1, color: .init(UInt8(x % 256), UInt8(y % 256), UInt8((x * y) % 251))) } }
        let (w, h, pixels) = try Self.decode(raster.pngData())
        #expect(w == size.0 && h == size.1 && pixels == raster.pixels)
        // A picture as the CLI draws them: long runs and repeated rows.
        let grid = Raster.imageGrid((0..<6400).map { Double(($0 * 7919) % 17) / 16 }, imageRows: 8, imageColumns: 8,
                                    range: 0...1, columns: 10)
        let file = grid.pngData()
        let decoded = try Self.decode(file)
        #expect(decoded.0 == grid.width && decoded.1 == grid.height && decoded.2 == grid.pixels)
        #expect(file.count * 8 < grid.pixels.count, "compressed \(grid.pixels.count) bytes to \(file.count)")
    }

    @Test func imageGridPlacesEachImage() {
        // Twelve 2 × 3 images: image n has value n/11 everywhere except a NaN in image 5.
        var values = (0..<12).flatMap { n in [Double](repeating: Double(n) / 11, count: 6) }
        values[5 * 6 + 4] = .nan
        let r = Raster.imageGrid(values, imageRows: 2, imageColumns: 3, range: 0...1, columns: 5, scale: 2, gap: 1)
        #expect(r.width == 5 * (3 * 2 + 1) + 1 && r.height == 3 * (2 * 2 + 1) + 1)
        #expect(r[1, 1] == .white)  // image 0: value 0 is paper
        let last = (x: 1 + 1 * 7, y: 1 + 2 * 5)  // image 11 (row 2, column 1): value 1 is ink
        #expect(r[last.x, last.y] == .black)
        let nanPixel = (x: 1 + 0 * 7 + 1 * 2, y: 1 + 1 * 5 + 1 * 2)  // image 5, row 1, column 1
        #expect(r[nanPixel.x, nanPixel.y] == .init(255, 0, 0))
        #expect(r[r.width - 1, r.height - 1] == .gray(200))  // background
    }

    @Test func scatterDrawsPointsWhereTheyAre() {
        let r = Raster.scatter([0, 0, 1.5, -1.5, 99, 0, .nan, 0], extent: 2, size: 101, alpha: 1)
        #expect(r[50, 50] == .init(31, 90, 200))  // the origin
        #expect(r[88, 87] == .init(31, 90, 200))  // (1.5, -1.5): x pixel 3.5 × 25 = 87.5 → 88, y pixel 100 − 13
        #expect(r[10, 90] == .white)
    }
}

@Suite struct ScatterWindowTests {
    /// The grid spacing is the documented one — 1 for windows up to ±10, else the power of ten
    /// `10^⌈log₁₀(extent/10)⌉`, which leaves between 1 and 10 lines on each side of the origin — including
    /// at the switch, at powers of ten and for windows of ±1e20 and ±1e300 (±1e7 once meant 2e7 lines, and
    /// ±1e20 trapped converting to Int). `pow(10, n)` for an integer `n` is within 1 ulp, hence the
    /// relative tolerance of 1 ulp.
    @Test(arguments: [(1.0, 1.0), (10.0, 1.0), (10.5, 10.0), (99.99, 10.0), (100.0, 10.0), (100.01, 100.0), (250.0, 100.0),
                      (1e7, 1e6), (1e20, 1e19), (1e300, 1e299)])
    func gridSpacingIsThePowerOfTenOfTheWindow(extent: Double, spacing: Double) {
        let got = Raster.scatterGridSpacing(extent: extent)
        #expect(abs(got - spacing) <= spacing.ulp, "extent \(extent): spacing \(got), expected \(spacing)")
        if extent > 10 { #expect(extent / got > 1 && extent / got <= 10) }
    }

    /// Huge windows still place points: at size 64 the point `(½e, -½e)` lands on pixel column
    /// `round(1.5e · 63/(2e)) = round(47.25) = 47` and row `63 - round(0.5e · 63/(2e)) = 63 - 16 = 47`,
    /// and its 3 × 3 dot changes exactly the 9 pixels around (47, 47) from the empty plot's.
    @Test(arguments: [1.0, 10.0, 250.0, 1e7, 1e20, 1e300])
    func hugeWindowsStillPlacePoints(extent: Double) {
        let empty = Raster.scatter([], extent: extent, size: 64)
        let raster = Raster.scatter([0.5 * extent, -0.5 * extent], extent: extent, size: 64)
        #expect(raster.width == 64 && raster.height == 64)
        var changed: [[Int]] = []
        for y in 0..<64 { for x in 0..<64 where raster[x, y] != empty[x, y] { changed.append([x, y]) } }
        let dot = (46...48).flatMap { y in (46...48).map { x in [x, y] } }
        #expect(changed == dot, "extent \(extent): changed pixels \(changed)")
    }
}
