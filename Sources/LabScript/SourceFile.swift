/// A named piece of script text: a file, a REPL input, a notebook cell.
///
/// Offsets everywhere in LabScript are UTF-8 byte offsets into `bytes`; line and column
/// are computed only when a diagnostic is printed (`location(of:)`).
public final class SourceFile: Sendable {
    public let name: String
    public let text: String
    /// Code from someone the host does not trust (a learner's hand-in while grading): the
    /// interpreter refuses the natives in `Interpreter.restrictedNames` when they are called
    /// from this file, whatever path led to them (see `Interpreter.callNative`).
    public let isUntrusted: Bool
    let bytes: [UInt8]

    public init(name: String, text: String, isUntrusted: Bool = false) {
        self.name = name
        self.text = text
        self.isUntrusted = isUntrusted
        self.bytes = Array(text.utf8)
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset, and the text of its line.
    public func location(of offset: Int) -> (line: Int, column: Int, lineText: String) {
        let offset = max(0, min(offset, bytes.count))
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        var lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        if lineText.hasSuffix("\r") { lineText.removeLast() }
        return (line, column, lineText)
    }

    /// Text of a byte range (used for slices of the source such as interpolations).
    func text(from start: Int, to end: Int) -> String {
        let start = max(0, min(start, bytes.count)), end = max(start, min(end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// A half-open byte range `start..<end` in one source file.
public struct SourceRange: Sendable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both (same file assumed).
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// `name:line:col`, for call-stack notes.
    public var shortDescription: String {
        let loc = file.location(of: start)
        return "\(file.name):\(loc.line):\(loc.column)"
    }
}
