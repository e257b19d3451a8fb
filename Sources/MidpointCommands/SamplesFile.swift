import ArgumentParser
import Midpoint

/// Reading a samples `.npy` for measurement, as `evaluate` does for every kind of subject.
enum SamplesFile {
    /// Reads the finite N × d samples at `path`: `check` sees the header's shape and byte count before any
    /// value is read (so a file too large or of the wrong shape is refused unread), then the values are
    /// read and checked to be finite (else the error ends with `consequence`) and of that same shape.
    static func resolve(_ path: String, ifNonFinite consequence: String = "a diverged run cannot be measured", check: (_ shape: [Int], _ bytes: Int) throws -> Void) throws -> NPYArray {
        let file: (shape: [Int], bytes: Int)
        do { file = try NPY.shape(contentsOf: path) } catch { throw ValidationError("cannot read '\(path)': \(error)") }
        try check(file.shape, file.bytes)
        let array: NPYArray
        do { array = try NPY.read(contentsOf: path) } catch { throw ValidationError("cannot read '\(path)': \(error)") }
        guard array.shape == file.shape else { throw ValidationError("'\(path)' changed while it was read") }
        if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
            let rowSize = max(array.shape.dropFirst().reduce(1, *), 1)
            throw ValidationError("'\(path)' holds a non-finite value (\(array.values[bad])) in row \(bad / rowSize): \(consequence)")
        }
        return array
    }
}
