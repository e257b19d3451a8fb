/// Lets a buffer pointer cross into a parallel chunk loop (chunks read disjoint slices).
struct UnsafeBufferPointerBox: @unchecked Sendable {
    let base: UnsafeBufferPointer<Double>
    init(_ base: UnsafeBufferPointer<Double>) { self.base = base }
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: base[range])
    }
}
