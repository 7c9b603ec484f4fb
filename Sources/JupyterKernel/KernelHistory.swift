import LabSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inputs (and result texts) of this kernel's executions with `store_history`, for
/// `history_request`: `tail`, `range` and `search` (a glob pattern, as IPython's).
/// Kept in memory: a restarted kernel starts a new history, as its variables are new too.
public struct KernelHistory: Sendable {
    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var input: String
        public var output: String?
    }

    /// The session number entries carry (one kernel process is one session).
    public let session = 1
    public private(set) var entries: [Entry] = []

    public init() {}

    public mutating func record(line: Int, input: String, output: String?) {
        entries.append(Entry(line: line, input: input, output: output))
    }

    /// The entries a `history_request` asks for.
    public func select(_ request: JSON) -> [Entry] {
        let n = request["n"]?.int
        switch request["hist_access_type"]?.string ?? "tail" {
        case "range":
            let wanted = request["session"]?.int ?? 0
            guard wanted == session || wanted == 0 else { return [] }
            let start = request["start"]?.int ?? 0
            let stop = request["stop"]?.int ?? Int.max
            return entries.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = request["pattern"]?.string ?? "*"
            var found = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if request["unique"]?.bool == true {
                var seen = Set<String>()
                // Keep the latest of each input, in order.
                found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            return n.map { Array(found.suffix(max(0, $0))) } ?? found
        default:  // tail
            return Array(entries.suffix(max(0, n ?? 10)))
        }
    }

    /// The reply's `history` list: `[session, line, input]`, or with `output`
    /// `[session, line, [input, output]]`.
    public func reply(_ request: JSON) -> JSON {
        let withOutput = request["output"]?.bool == true
        return .array(select(request).map { entry in
            let item: JSON = withOutput ? [.string(entry.input), entry.output.map(JSON.string) ?? .null] : .string(entry.input)
            return [.int(session), .int(entry.line), item]
        })
    }
}
