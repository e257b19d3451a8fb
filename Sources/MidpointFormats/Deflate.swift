/// A small DEFLATE compressor (RFC 1951): greedy LZ77 matching over a 32 KiB window with hash chains,
/// coded in one block with the format's fixed Huffman codes.
///
/// Fixed codes need no code tables in the stream, which keeps the encoder short and exactly specified;
/// on pictures — long runs of background and rows repeated by magnification — matches do almost all
/// the work (a digit grid shrinks about 30×). Not a general-purpose compressor: no dynamic Huffman
/// codes and no lazy matching.
enum Deflate {
    static let windowSize = 32_768
    static let minMatch = 3
    static let maxMatch = 258
    /// Candidates tried per position: more finds longer matches at a linear cost.
    static let chainDepth = 48

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                                    115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                                      1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                                       12, 12, 13, 13]

    /// Bits packed from the least significant end of each byte, as DEFLATE requires.
    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt64 = 0
        var count = 0

        mutating func write(_ value: Int, bits: Int) {
            accumulator |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                count -= 8
            }
        }

        /// A Huffman code goes most significant bit first: write it bit-reversed.
        mutating func writeCode(_ code: Int, length: Int) {
            var reversed = 0
            for i in 0..<length where code & (1 << i) != 0 { reversed |= 1 << (length - 1 - i) }
            write(reversed, bits: length)
        }

        mutating func flush() {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: accumulator)) }
            accumulator = 0
            count = 0
        }
    }

    /// The fixed literal/length code of `symbol` (0…287).
    static func writeSymbol(_ symbol: Int, to out: inout BitWriter) {
        switch symbol {
        case 0..<144: out.writeCode(0x30 + symbol, length: 8)
        case 144..<256: out.writeCode(0x190 + symbol - 144, length: 9)
        case 256..<280: out.writeCode(symbol - 256, length: 7)
        default: out.writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    /// The raw DEFLATE stream of `data` (one final fixed-Huffman block).
    static func compress(_ data: [UInt8]) -> [UInt8] {
        var out = BitWriter()
        out.write(1, bits: 1)  // BFINAL
        out.write(1, bits: 2)  // BTYPE = 01, fixed Huffman codes
        let hashSize = 1 << 15
        var head = [Int](repeating: -1, count: hashSize)
        var previous = [Int](repeating: -1, count: windowSize)
        func hash(_ i: Int) -> Int {
            (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & (hashSize - 1)
        }
        func insert(_ i: Int) {
            guard i + minMatch <= data.count else { return }
            let h = hash(i)
            previous[i & (windowSize - 1)] = head[h]
            head[h] = i
        }
        var i = 0
        while i < data.count {
            var bestLength = 0, bestDistance = 0
            if i + minMatch <= data.count {
                var candidate = head[hash(i)]
                var depth = 0
                let limit = min(maxMatch, data.count - i)
                while candidate >= 0, i - candidate <= windowSize, depth < chainDepth {
                    var length = 0
                    while length < limit && data[candidate + length] == data[i + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = i - candidate
                        if length == limit { break }
                    }
                    candidate = previous[candidate & (windowSize - 1)]
                    depth += 1
                }
            }
            if bestLength >= minMatch {
                var code = lengthBase.count - 1
                while lengthBase[code] > bestLength { code -= 1 }
                writeSymbol(257 + code, to: &out)
                out.write(bestLength - lengthBase[code], bits: lengthExtra[code])
                var dcode = distanceBase.count - 1
                while distanceBase[dcode] > bestDistance { dcode -= 1 }
                out.writeCode(dcode, length: 5)
                out.write(bestDistance - distanceBase[dcode], bits: distanceExtra[dcode])
                for k in i..<(i + bestLength) { insert(k) }
                i += bestLength
            } else {
                writeSymbol(Int(data[i]), to: &out)
                insert(i)
                i += 1
            }
        }
        writeSymbol(256, to: &out)
        out.flush()
        return out.bytes
    }
}
