import Foundation
import LabSupport
#if canImport(Glibc)
import Glibc
#endif

/// Shows text longer than the screen through a pager, as `git` and `man` do: the command
/// in `$PAGER`, else `less -R`. The REPL uses one only when it is interactive and its
/// standard output is a terminal (`REPLCommand`); a pipe or a file always gets the text
/// itself.
struct Pager {
    /// The shell command that shows its standard input.
    var command: String
    /// Lines of the screen.
    var rows: Int
    /// Columns of the screen (a line wider than this takes several rows).
    var columns: Int

    /// `$PAGER` when set and not empty, else `less -R` (`-R` lets colour through).
    static func command(environment: [String: String]) -> String {
        if let pager = environment["PAGER"]?.trimmingCharacters(in: .whitespaces), !pager.isEmpty { return pager }
        return "less -R"
    }

    /// The pager of this terminal: the screen's size from `LINES`/`COLUMNS` or the terminal.
    static func forTerminal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Pager {
        var size = winsize()
        let known = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0
        let rows = environment["LINES"].flatMap { Int($0) } ?? (known ? Int(size.ws_row) : 24)
        let columns = environment["COLUMNS"].flatMap { Int($0) } ?? (known ? Int(size.ws_col) : 80)
        return Pager(command: command(environment: environment), rows: max(2, rows), columns: max(20, columns))
    }

    /// Whether `text` takes more rows than the screen has, keeping one for the prompt
    /// (display width decides how many rows a long line takes).
    func needsPaging(_ text: String) -> Bool {
        var used = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            used += max(1, (line.displayWidth + columns - 1) / columns)
            if used > rows - 1 { return true }
        }
        return false
    }

    /// Shows `text` through the pager when it needs paging; false when it did not (short
    /// text, or the pager could not start), and the caller writes the text itself.
    func page(_ text: String) -> Bool {
        guard needsPaging(text) else { return false }
        // The text goes in through a temporary file rather than a pipe, so quitting the
        // pager early cannot kill the REPL with SIGPIPE.
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfsup-help-\(ProcessInfo.processInfo.processIdentifier).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? Data(text.utf8).write(to: file)) != nil else { return false }
        // system(3), not Process: the pager must stay in the REPL's session and process
        // group to read keys from the terminal (Process starts its child in a new session).
        let status = system(command + " < " + shellQuoted(file.path))
        // A pager that is not installed: the shell says "not found" (127); show the text.
        return status != -1 && (status >> 8) & 0xff != 127
    }
}
