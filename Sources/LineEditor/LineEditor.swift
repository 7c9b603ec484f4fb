import CEditLine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What one call to `LineEditor.readLine(prompt:)` produced.
public enum LineInput: Equatable, Sendable {
    /// A line the user entered (without its newline).
    case line(String)
    /// End of input: Ctrl-D on an empty line, or the end of a pipe.
    case endOfInput
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
}

/// Reads lines with editing, history and tab completion through libedit when standard
/// input is a terminal, and with plain reads otherwise (pipes, files, tests).
///
/// libedit keeps its state in process globals, so there is one active editor per process;
/// the completion callback is reached through `CompletionBridge`.
public final class LineEditor {
    /// Where libedit splits words for completion: a completer replaces the text after the
    /// last of these (REPLCompleter reads the same string).
    public static let wordBreakCharacters = " \t\n\"'(),[]{}:+-*/^@=<>"

    /// True when lines come from libedit (standard input is a terminal).
    public let isInteractive: Bool
    private let history: History

    /// - Parameters:
    ///   - historyFile: where history is kept between sessions (`nil`: no file).
    ///   - completer: given the whole line and the cursor offset (in UTF-8 bytes, as
    ///     libedit counts), returns the word being completed and its candidates.
    ///   - forceInteractive: use libedit even when stdin is not a terminal (for tests).
    public init(historyFile: String?, completer: Completer? = nil, forceInteractive: Bool = false) {
        isInteractive = forceInteractive || isatty(STDIN_FILENO) == 1
        history = History(file: historyFile)
        if isInteractive {
            LineEditor.useUTF8CharacterType()
            CompletionBridge.completer = completer
            lab_rl_set_attempted_completion(CompletionBridge.attempt)
            // Complete on whole identifiers and paths; our completer decides what a word is.
            lab_rl_set_word_break_characters(strdup(LineEditor.wordBreakCharacters))
            for entry in history.entries { add_history(entry) }
        }
    }

    /// libedit reads and edits multibyte text (Chinese, `τ`) only when the character type
    /// (`LC_CTYPE`) is UTF-8, and a program starts in the C locale, where it drops every
    /// non-ASCII byte. Takes the environment's character type, or `C.UTF-8` when that is
    /// not UTF-8 (unset, `C`, `POSIX`). Only `LC_CTYPE`: number formatting is untouched.
    /// Returns whether the character type is UTF-8 now.
    @discardableResult
    public static func useUTF8CharacterType() -> Bool {
        func isUTF8() -> Bool {
            guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
            return ["utf-8", "utf8"].contains(String(cString: codeset).lowercased())
        }
        if setlocale(LC_CTYPE, "") != nil, isUTF8() { return true }
        _ = setlocale(LC_CTYPE, "C.UTF-8")
        return isUTF8()
    }

    /// Reads one line, showing `prompt` when interactive.
    public func readLine(prompt: String) -> LineInput {
        guard isInteractive else {
            guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
            return .line(line)
        }
        let interruptsBefore = Interrupts.count
        guard let raw = CEditLine.readline(prompt) else {
            // libedit returns NULL both at end of input and when a signal cut the read short.
            return Interrupts.count != interruptsBefore ? .interrupted : .endOfInput
        }
        if Interrupts.count != interruptsBefore {
            return .interrupted
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    /// Adds an entry (a whole statement, possibly several lines) to history, leaving out
    /// blank entries and earlier copies of the same entry, and saves the file.
    public func addHistory(_ entry: String) {
        guard history.add(entry) else { return }
        if isInteractive { add_history(entry) }
    }
}

/// The signature of a completion source: `(line, cursor) -> (word, candidates)`.
public typealias Completer = (_ line: String, _ cursor: Int) -> Completion

/// The candidates for the word that ends at the cursor.
public struct Completion: Sendable, Equatable {
    public var candidates: [String]
    /// Text shown above the prompt when there are candidates (a signature, for example).
    public var hint: String?
    public init(candidates: [String], hint: String? = nil) {
        self.candidates = candidates
        self.hint = hint
    }
}

/// Connects libedit's C completion callback to a Swift closure. libedit is process-global,
/// so this is too; it is touched only from the thread that runs the REPL.
enum CompletionBridge {
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var pending: [String] = []
    nonisolated(unsafe) static var index = 0

    static let attempt: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, end in
        lab_rl_set_completion_over(1)  // never fall back to file names on our behalf
        guard let completer, let buffer = lab_rl_line_buffer(), let text else { return nil }
        let line = String(cString: buffer)
        let bytes = Array(line.utf8)
        let cursor = min(Int(end), bytes.count)
        let upToCursor = String(decoding: bytes[..<cursor], as: UTF8.self)
        let result = completer(upToCursor, cursor)
        if let hint = result.hint, !result.candidates.isEmpty {
            // Show the signature above the prompt, then have libedit redraw the whole line.
            print("\n" + hint)
            rl_forced_update_display()
        }
        pending = result.candidates
        index = 0
        guard !pending.isEmpty else { return nil }
        lab_rl_set_append_character(0)
        return rl_completion_matches(text, CompletionBridge.next)
    }

    static let next: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, _ in
        guard index < pending.count else { return nil }
        defer { index += 1 }
        return strdup(pending[index])
    }
}
