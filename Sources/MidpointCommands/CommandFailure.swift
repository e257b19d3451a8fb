/// A failure after the flags were accepted (a diverged run, shards from different runs): printed as
/// "Error: …" without the usage text, with a non-zero exit status.
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    let description: String

    init(_ description: String) { self.description = description }
}
