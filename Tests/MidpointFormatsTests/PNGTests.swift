@testable import MidpointFormats
import Testing

/// The PNG writer: checksums against their published check values, and a structural decode of the
/// files it writes (chunk CRCs, header fields, stored deflate blocks, Adler-32, every pixel).
@Suite struct PNGTests {
    @Test func checksumsMatchTheirCheckValues() {
        // CRC-32/ISO-HDLC check value (the CRC catalogue's "123456789") and Adler-32 of "Wikipedia".
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(PNG.adler32([]) == 1)
        // Long runs of 0xFF exercise the deferred modulo: compare with reduction after every byte.
        let bytes = [UInt8](repeating: 0xFF, count: 100_000)
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65_521; b = (b + a) % 65_521 }
        #expect(PNG.adler32(bytes) == (b << 16) | a)
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
        // zlib: header, DEFLATE data, Adler-32 of the inflated bytes.
        #expect((UInt16(idat[0]) << 8 | UInt16(idat[1])) % 31 == 0 && idat[0] & 0x0F == 8)
        let (inflated, end) = try inflate(idat, from: 2)
        #expect(idat[end..<(end + 4)].reduce(0) { $0 << 8 | UInt32($1) } == PNG.adler32(inflated))
        #expect(end + 4 == idat.count)
        var pixels: [UInt8] = []
        for y in 0..<height {
            let row = y * (3 * width + 1)
            #expect(inflated[row] == 0, "filter byte")
            pixels += inflated[(row + 1)..<(row + 1 + 3 * width)]
        }
        return (width, height, pixels)
    }

    /// An independent inflater for stored and fixed-Huffman blocks (RFC 1951 §3.2.4–3.2.6); returns
    /// the data and the byte index after the last block.
    static func inflate(_ bytes: [UInt8], from start: Int) throws -> ([UInt8], Int) {
        var bit = start * 8
        func bits(_ n: Int) -> Int {  // an integer, least significant bit first
            var v = 0
            for k in 0..<n { v |= Int(bytes[bit >> 3] >> UInt8(bit & 7) & 1) << k; bit += 1 }
            return v
        }
        func code(_ n: Int, after prefix: Int = 0, _ have: Int = 0) -> Int {  // Huffman bits, most significant first
            var v = prefix
            for _ in have..<n { v = v << 1 | bits(1) }
            return v
        }
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                        4097, 6145, 8193, 12289, 16385, 24577]
        let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
        var out: [UInt8] = []
        var final = false
        while !final {
            final = bits(1) == 1
            let type = bits(2)
            if type == 0 {
                bit = (bit + 7) & ~7
                let len = bits(16), nlen = bits(16)
                try #require(len ^ nlen == 0xFFFF)
                out += bytes[(bit >> 3)..<((bit >> 3) + len)]
                bit += 8 * len
                continue
            }
            try #require(type == 1, "only stored and fixed-Huffman blocks are written")
            while true {
                var c = code(7), symbol: Int
                if c <= 0x17 {
                    symbol = 256 + c
                } else {
                    c = code(8, after: c, 7)
                    if (0x30...0xBF).contains(c) { symbol = c - 0x30 } else if (0xC0...0xC7).contains(c) { symbol = 280 + c - 0xC0 } else {
                        symbol = 144 + code(9, after: c, 8) - 0x190
                    }
                }
                if symbol < 256 { out.append(UInt8(symbol)); continue }
                if symbol == 256 { break }
                let li = symbol - 257
                let length = lengthBase[li] + bits(lengthExtra[li])
                let di = code(5)
                let distance = distBase[di] + bits(distExtra[di])
                try #require(distance <= out.count)
                for _ in 0..<length { out.append(out[out.count - distance]) }
            }
        }
        return (out, (bit + 7) >> 3)
    }

    @Test(arguments: [(3, 2), (1, 1), (300, 100), (600, 600)])
    func roundTripsEveryPixel(_ size: (Int, Int)) throws {
        var raster = Raster(width: size.0, height: size.1)
        for y in 0..<size.1 { for x in 0..<size.0 { raster.fill(x: x, y: y, width: 1, height: 1, color: .init(UInt8(x % 256), UInt8(y % 256), UInt8((x * y) % 251))) } }
        let (w, h, pixels) = try Self.decode(PNG.encode(raster))
        #expect(w == size.0 && h == size.1 && pixels == raster.pixels)
        // A picture as the CLI draws them: long runs and repeated rows.
        let grid = Raster.imageGrid((0..<6400).map { Double(($0 * 7919) % 17) / 16 }, imageRows: 8, imageColumns: 8,
                                    range: 0...1, columns: 10)
        let file = PNG.encode(grid)
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
    /// Huge windows draw a bounded number of grid lines (a window of ±1e7 once meant 2e7 lines, and
    /// ±1e20 trapped converting to Int) and still place points.
    @Test(arguments: [1.0, 10.0, 250.0, 1e7, 1e20, 1e300])
    func hugeWindowsStayCheap(extent: Double) {
        let spacing = Raster.scatterGridSpacing(extent: extent)
        #expect(extent / spacing <= 20)
        let raster = Raster.scatter([0.5 * extent, -0.5 * extent], extent: extent, size: 64)
        #expect(raster.width == 64)
    }
}
