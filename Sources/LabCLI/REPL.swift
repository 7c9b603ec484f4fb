import Foundation
import LabScript
import LabSupport
import LineEditor

/// Where the REPL reads lines from: libedit in a terminal, or a script of lines in tests.
public protocol LineSource: AnyObject {
    func readLine(prompt: String) -> LineInput
    func addHistory(_ entry: String)
}

extension LineEditor: LineSource {}

/// Lines given in advance (tests, transcripts). An element `nil` stands for Ctrl-C at
/// the prompt.
public final class ScriptedLines: LineSource {
    private var lines: [String?]
    public private(set) var history: [String] = []
    /// Every prompt shown, in order (to check continuation prompts).
    public private(set) var prompts: [String] = []
    public init(_ lines: [String?]) { self.lines = lines }
    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        guard !lines.isEmpty else { return .endOfInput }
        guard let line = lines.removeFirst() else { return .interrupted }
        return .line(line)
    }
    public func addHistory(_ entry: String) { history.append(entry) }
}

/// The read–eval–print loop. It knows the interpreter and the lab session (through
/// `REPLHost`), never the terminal: lines come from a `LineSource`, text goes to `write`.
///
/// Input is read until the parser says it is complete (an open brace, bracket or string
/// asks for more with the continuation prompt `...`). Lines starting with `:` or `?` are
/// meta commands. Errors print the caret diagnostic and the loop goes on.
public final class REPL {
    public static let prompt = "lab> "
    public static let continuationPrompt = "...  "

    let host: REPLHost
    let input: LineSource
    let write: (String) -> Void
    /// The learner's variables: a layer over the builtins, replaced by `:reset`.
    var scope: Scope {
        didSet { host.currentScope = scope }
    }
    var finished = false

    public init(host: REPLHost, input: LineSource, write: @escaping (String) -> Void) {
        self.host = host
        self.input = input
        self.write = write
        self.scope = host.interpreter.makeScope()
        host.currentScope = scope
    }

    /// The banner: where help is (`help()`, `?name`, `??word`, `:help`), the tour, the way out.
    public static var welcome: String {
        Messages.text("SelfSup Lab — a notebook for self-supervised learning.") + "\n"
            + Messages.text("help() lists the builtins, ?name shows one, ??word searches them.") + "\n"
            + Messages.text(":help lists the commands, :lesson 0 starts the tour, Ctrl-D leaves.") + "\n\n"
    }

    /// Runs until end of input or `:quit`.
    public func run(showWelcome: Bool = true) {
        if showWelcome { write(REPL.welcome) }
        while !finished {
            guard let entry = readEntry() else { break }
            handle(entry)
        }
    }

    /// Reads one complete entry (possibly several lines); nil at end of input.
    func readEntry() -> String? {
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? REPL.prompt : REPL.continuationPrompt
            switch input.readLine(prompt: prompt) {
            case .endOfInput:
                if buffer.isEmpty { return nil }
                return buffer  // run what was typed; the parser reports what is missing
            case .interrupted:
                write("^C\n")
                buffer = ""
            case .line(let line):
                buffer += buffer.isEmpty ? line : "\n" + line
                let trimmed = buffer.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return buffer }
                if !Parser.isIncomplete(buffer) { return buffer }
            }
        }
    }

    /// Handles one entry: a meta command or LabScript.
    public func handle(_ entry: String) {
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        input.addHistory(entry)
        if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
            runMeta(trimmed)
        } else {
            evaluate(entry)
        }
    }

    /// Writes text that may be long (help): through the pager when the REPL has one and the
    /// text is longer than the screen, else as it is.
    func writeLong(_ text: String) {
        if let pager = host.pager, pager(text) { return }
        write(text)
    }

    /// Runs LabScript source, echoing the value of a final expression.
    func evaluate(_ source: String, name: String = "<repl>") {
        let result = host.withInterruptsCancelling { host.interpreter.runREPL(source, name: name, in: scope) }
        switch result {
        case .success(let value?):
            if case .nilValue = value { break }
            write(host.describe(value) + "\n")
        case .success(nil):
            break
        case .failure(let diagnostics):
            for diagnostic in diagnostics { write(host.render(diagnostic) + "\n") }
        case .incomplete:
            write(Messages.text("error: the input ends inside an open bracket, brace or string") + "\n")
        }
    }
}
