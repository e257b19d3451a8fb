import ArgumentParser
import Midpoint

extension ClassChoice: ExpressibleByArgument {
    /// `K` (a class index), `all` or `random`.
    public init?(argument: String) { self.init(argument) }

    public static var defaultCompletionKind: CompletionKind { .list(["all", "random"]) }
}
