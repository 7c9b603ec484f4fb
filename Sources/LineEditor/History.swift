import Foundation

/// Line-editor history kept in a file between sessions: one entry per line, newlines
/// inside an entry written as `\n` and backslashes as `\\`. Blank entries and duplicates
/// are left out (an entry typed again moves to the end). The file is rewritten atomically.
final class History {
    let file: String?
    let limit: Int
    private(set) var entries: [String] = []
    /// Told once, the first time the file cannot be written (an unusable HOME, a full
    /// disk): the session goes on, but the learner should know their history is not kept.
    let warn: (String) -> Void
    private(set) var warned = false

    init(file: String?, limit: Int = 1000,
         warn: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.file = file
        self.limit = limit
        self.warn = warn
        if let file, let text = try? String(contentsOfFile: file, encoding: .utf8) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                _ = insert(History.decode(String(line)))
            }
        }
    }

    /// Adds an entry and saves; false when the entry was left out (blank).
    func add(_ entry: String) -> Bool {
        guard insert(entry) else { return false }
        save()
        return true
    }

    private func insert(_ entry: String) -> Bool {
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return false }
        entries.removeAll { $0 == entry }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        return true
    }

    private func save() {
        guard let file else { return }
        let text = entries.map(History.encode).joined(separator: "\n") + "\n"
        // Atomic: Foundation writes a temporary file and renames it.
        do {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            if warned { return }
            warned = true
            warn("warning: the REPL history is not being saved: cannot write \(file) "
                 + "(\(error.localizedDescription)); set SELFSUP_HOME to a folder you can write")
        }
    }

    static func encode(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escaped = false
        for ch in line {
            if escaped {
                out.append(ch == "n" ? "\n" : ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
