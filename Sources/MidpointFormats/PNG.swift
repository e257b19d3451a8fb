import Foundation

/// A minimal PNG encoder for ``Raster`` pictures: 8-bit RGB, no interlace, no scanline filters, the
/// image data compressed by the package's own fixed-Huffman ``Deflate`` (no compression library
/// needed). Every PNG reader accepts it.
public enum PNG {
    /// The bytes of a PNG file showing `raster`.
    public static func encode(_ raster: Raster) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(raster.width))
        header += bigEndian(UInt32(raster.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &out)
        // Scanlines, each behind filter byte 0 (none).
        let stride = 3 * raster.width
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((stride + 1) * raster.height)
        for y in 0..<raster.height {
            scanlines.append(0)
            scanlines += raster.pixels[(y * stride)..<((y + 1) * stride)]
        }
        appendChunk("IDAT", zlib(scanlines), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// Writes `raster` as a PNG file, replacing any existing file atomically (``AtomicFile``).
    public static func write(_ raster: Raster, to path: String) throws(PNGError) {
        do { try AtomicFile.write(encode(raster), to: path) } catch {
            throw .io(path: path, reason: error.description)
        }
    }

    /// A zlib stream (RFC 1950) holding `data`: header, DEFLATE data, Adler-32.
    static func zlib(_ data: [UInt8]) -> [UInt8] {
        // Deflate, 32 KiB window, no dictionary; 0x7801 is a multiple of 31 as the header check requires.
        [0x78, 0x01] + Deflate.compress(data) + bigEndian(adler32(data))
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += bigEndian(UInt32(data.count))
        out += typeBytes
        out += data
        out += bigEndian(crc32(typeBytes + data))
    }

    /// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG chunks use.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = crcTable[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Adler-32 (RFC 1950), the zlib trailer.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        // 5552 bytes is the most that can be summed before b can exceed 2³²; reduce once per block.
        var i = 0
        while i < bytes.count {
            let end = min(i + 5552, bytes.count)
            for k in i..<end { a += UInt32(bytes[k]); b += a }
            a %= 65_521
            b %= 65_521
            i = end
        }
        return (b << 16) | a
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
