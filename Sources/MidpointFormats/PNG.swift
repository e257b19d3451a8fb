import CZlib
import Foundation

/// A minimal PNG encoder for 8-bit RGB pictures: no interlace, no scanline filters, the image data
/// compressed by zlib. Every PNG reader accepts it. (Drawing lives in `MidpointPlots`; this module only
/// writes the bytes.)
public enum PNG {
    /// The bytes of a PNG file showing a `width × height` picture whose `pixels` hold 3 bytes (R, G, B)
    /// per pixel, row-major from the top-left corner.
    /// - Precondition: `pixels.count == 3·width·height`, both sides in `1...16384`.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition((1...16_384).contains(width) && (1...16_384).contains(height) && pixels.count == 3 * width * height,
                     "a \(width)×\(height) RGB picture needs \(3 * width * height) bytes, got \(pixels.count)")
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &out)
        // Scanlines, each behind filter byte 0 (none).
        let stride = 3 * width
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((stride + 1) * height)
        for y in 0..<height {
            scanlines.append(0)
            scanlines += pixels[(y * stride)..<((y + 1) * stride)]
        }
        appendChunk("IDAT", zlib(scanlines), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// Writes the picture as a PNG file, replacing any existing file atomically (``AtomicFile``).
    public static func write(width: Int, height: Int, pixels: [UInt8], to path: String) throws(PNGError) {
        do { try AtomicFile.write(encode(width: width, height: height, pixels: pixels), to: path) } catch {
            throw .io(path: path, reason: error.description)
        }
    }

    /// A zlib stream (RFC 1950) holding `data`: header, DEFLATE data, Adler-32 — zlib's own `compress2`
    /// at its best compression.
    static func zlib(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                compress2(dst.baseAddress!, &length, src.baseAddress, uLong(data.count), Z_BEST_COMPRESSION)
            }
        }
        // compressBound is an upper bound for the input size, so Z_BUF_ERROR cannot happen; Z_MEM_ERROR
        // means the allocator failed, which Swift would have trapped on anyway.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        return Array(out[0..<Int(length)])
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += bigEndian(UInt32(data.count))
        out += typeBytes
        out += data
        out += bigEndian(crc32(typeBytes + data))
    }

    /// CRC-32 (ISO 3309), as PNG chunks use: zlib's `crc32`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }


    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
