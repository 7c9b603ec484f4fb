import LabBuiltins
import LabScript

/// One learner's hand-in as the similarity report sees it: the code of each `[exercise]`
/// cell, by the cell's id. `SimilaritySubmission.read(handIn:official:)` builds one from a
/// file the way the grader reads it.
public struct SimilaritySubmission: Sendable, Equatable {
    public var student: String
    /// Exercise cell id → the learner's code in that cell.
    public var cells: [String: String]

    public init(student: String, cells: [String: String]) {
        self.student = student
        self.cells = cells
    }
}

/// The settings of the similarity report. The defaults were chosen from the evaluation in
/// `SimilarityEvaluationTests`: exercises 02 and 11, each with the reference solution, six
/// answers written independently in different styles, the wrong solutions and the starter
/// (none may be flagged), and disguised copies of the reference (all must be).
public struct SimilarityOptions: Sendable {
    /// Tokens in one k-gram: a match shorter than this is never seen (the noise threshold).
    public var k: Int
    /// Winnowing window, in k-grams: a match of at least `k + window - 1` tokens always
    /// shares a fingerprint (the guarantee threshold).
    public var window: Int
    /// A fingerprint found in more than this share of the class's sources (and in at least
    /// `commonMinimum` of them) is the class's common answer and ignored. A source is a
    /// group of submissions that are near copies of each other (`sameSource`), so that many
    /// copies of one text do not pass for convergence.
    public var commonShare: Double
    public var commonMinimum: Int
    /// Two submissions whose raw score (before the common code is removed) reaches this
    /// are one source when deciding what is common; groups are joined transitively.
    /// Independently written answers stay far below it (at most 0.41 in the evaluation).
    public var sameSource: Double
    /// A pair is flagged when its score reaches this …
    public var threshold: Double
    /// … and it shares at least this many fingerprints (so that two short answers sharing
    /// a few lines are not flagged on a ratio of small numbers).
    public var minimumShared: Int
    /// Names kept as written: builtins (the language's and the lab's). Every other name
    /// becomes one placeholder, so renaming a variable or function changes nothing.
    public var keptNames: Set<String>

    public init(k: Int = 8, window: Int = 4, commonShare: Double = 0.5, commonMinimum: Int = 3,
                sameSource: Double = 0.8, threshold: Double = 0.5, minimumShared: Int = 8,
                keptNames: Set<String> = SimilarityOptions.builtinNames) {
        self.k = max(1, k)
        self.window = max(1, window)
        self.commonShare = commonShare
        self.commonMinimum = commonMinimum
        self.sameSource = sameSource
        self.threshold = threshold
        self.minimumShared = minimumShared
        self.keptNames = keptNames
    }

    /// Every builtin a session has (the registry's names, `BuiltinContext`), read once.
    public static let builtinNames: Set<String> = Set(BuiltinContext().registry.names)
}

/// Where a fingerprint was taken: a cell and the lines (1-based, within the cell's code)
/// of the k-gram's first and last token.
struct FingerprintSite: Sendable, Hashable {
    var cell: String
    var lines: ClosedRange<Int>
}

/// Normalised tokens, k-gram hashes and winnowed fingerprints of code.
enum SimilarityFingerprinter {
    /// One token after normalisation: its symbol's hash and the line it starts on.
    struct NormalToken {
        var code: UInt64
        var line: Int
    }

    /// The tokens of `code` with names, literals and layout normalised:
    /// - a name that is not kept (a builtin) becomes `ID`, except a name after `.` (a
    ///   field or method) and an argument label before `:`, which stay as written;
    /// - every number becomes `NUM`, every string `STR`;
    /// - comments and spaces are gone (the lexer drops them), `;` counts as a newline, and
    ///   newlines next to braces or other newlines are dropped, so `{ return x }` on one
    ///   line or three is the same.
    static func normalise(_ code: String, keptNames: Set<String>) -> [NormalToken] {
        let source = SourceFile(name: "similarity", text: code)
        let tokens = Token.tokens(of: source)
        var lineStarts: [Int] = [0]
        for (offset, byte) in code.utf8.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        func line(of offset: Int) -> Int {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
            }
            return low + 1
        }
        var symbols: [(String, Int)] = []
        for (index, token) in tokens.enumerated() {
            let symbol: String
            switch token.kind {
            case .eof: continue
            case .identifier:
                let afterDot = index > 0 && tokens[index - 1].kind == .dot
                let isLabel = index + 1 < tokens.count && tokens[index + 1].kind == .colon
                    && index > 0 && (tokens[index - 1].kind == .leftParen || tokens[index - 1].kind == .comma)
                symbol = afterDot || isLabel || keptNames.contains(token.name) ? "name:" + token.name : "ID"
            case .number: symbol = "NUM"
            case .string: symbol = "STR"
            case .semicolon, .newline: symbol = "NL"
            default: symbol = String(describing: token.kind)
            }
            symbols.append((symbol, line(of: token.range.start)))
        }
        var kept: [NormalToken] = []
        for (index, (symbol, line)) in symbols.enumerated() {
            if symbol == "NL" {
                let previous = kept.isEmpty ? nil : symbols[index - 1].0
                let next = index + 1 < symbols.count ? symbols[index + 1].0 : nil
                if previous == nil || previous == "NL" || previous == "leftBrace" || next == nil || next == "rightBrace" {
                    continue
                }
            }
            kept.append(NormalToken(code: fnv1a(symbol.utf8), line: line))
        }
        return kept
    }

    /// The hash of every k-gram of `tokens`, in order.
    static func kgramHashes(_ tokens: [NormalToken], k: Int) -> [UInt64] {
        guard tokens.count >= k else { return [] }
        return (0...(tokens.count - k)).map { start in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for token in tokens[start..<(start + k)] {
                hash ^= token.code
                hash = hash &* 0x0000_0100_0000_01b3
                hash ^= hash >> 29
            }
            return hash
        }
    }

    /// Winnowing (Schleimer, Wilkerson and Aiken, 2003): in every window of `window`
    /// consecutive k-gram hashes the smallest is a fingerprint (the rightmost one on a
    /// tie), each position taken once. Returns the positions (k-gram indices) chosen.
    static func winnow(_ hashes: [UInt64], window: Int) -> [Int] {
        guard !hashes.isEmpty else { return [] }
        let window = min(window, hashes.count)
        var chosen: [Int] = []
        for start in 0...(hashes.count - window) {
            var best = start
            for position in start..<(start + window) where hashes[position] <= hashes[best] { best = position }
            if chosen.last != best { chosen.append(best) }
        }
        return chosen
    }

    /// FNV-1a, 64 bits: a fixed hash, the same on every run and machine.
    static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
