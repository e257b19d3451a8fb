import Foundation

/// The three fields of a `.npy` header dictionary, parsed from its Python literal.
struct NPYHeader {
    var dtype: NPYArray.DType
    var shape: [Int]

    /// Parses `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` (keys in any order).
    init(parsing text: String) throws(NPYError) {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \n\r\t\0"))
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else {
            throw .malformedHeader("expected a Python dict literal in braces, got \(trimmed.prefix(40).debugDescription)")
        }
        var fields: [String: String] = [:]
        var rest = Substring(trimmed.dropFirst().dropLast())
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            if rest.isEmpty { break }
            guard let q = rest.first, q == "'" || q == "\"",
                  let keyEnd = rest.dropFirst().firstIndex(of: q) else {
                throw .malformedHeader("expected a quoted key at \(String(rest.prefix(20)).debugDescription)")
            }
            let key = String(rest[rest.index(after: rest.startIndex)..<keyEnd])
            rest = rest[rest.index(after: keyEnd)...].drop(while: { $0 == " " })
            guard rest.first == ":" else { throw .malformedHeader("expected ':' after key '\(key)'") }
            rest = rest.dropFirst().drop(while: { $0 == " " })
            // A value is a quoted string, a parenthesized tuple, or a bare word.
            let value: Substring
            if let open = rest.first, open == "(" || open == "[" {
                let closing: Character = open == "(" ? ")" : "]"
                guard let close = rest.firstIndex(of: closing) else { throw .malformedHeader("unclosed \(open) for '\(key)'") }
                value = rest[rest.startIndex...close]
                rest = rest[rest.index(after: close)...]
            } else if let vq = rest.first, vq == "'" || vq == "\"" {
                guard let close = rest.dropFirst().firstIndex(of: vq) else {
                    throw .malformedHeader("unclosed string for '\(key)'")
                }
                value = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(where: { $0 == "," || $0 == " " }) ?? rest.endIndex
                value = rest[rest.startIndex..<end]
                rest = rest[end...]
            }
            fields[key] = String(value)
        }
        guard let descr = fields["descr"] else { throw .malformedHeader("missing key 'descr'") }
        guard let order = fields["fortran_order"] else { throw .malformedHeader("missing key 'fortran_order'") }
        guard let shapeText = fields["shape"] else { throw .malformedHeader("missing key 'shape'") }
        switch order {
        case "False": break
        case "True": throw .fortranOrder
        default: throw .malformedHeader("'fortran_order' must be True or False, got '\(order)'")
        }
        switch descr {
        case "<f8": dtype = .float64
        case "<f4": dtype = .float32
        default: throw .unsupportedDType(descr)
        }
        guard shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw .malformedHeader("'shape' must be a tuple, got '\(shapeText)'")
        }
        let inner = shapeText.dropFirst().dropLast()
        var dims: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else {
                throw .malformedHeader("'shape' entries must be non-negative integers, got '\(t)'")
            }
            dims.append(n)
        }
        shape = dims
    }
}
