/// A failure of `midpoint mcmc` after its flags were accepted (a diverged chain, an invalid tuned
/// parameter): printed without the usage text, with a non-zero exit status.
enum MCMCCommandError: Error, CustomStringConvertible {
    case failed(String)

    var description: String {
        switch self {
        case let .failed(message): message
        }
    }
}
