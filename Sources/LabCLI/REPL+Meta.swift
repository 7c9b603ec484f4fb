import Foundation
import LabScript

/// The REPL's meta commands (`:help`, `?name`, `:vars`, …).
extension REPL {
    static let metaHelp = """
        LabScript at the prompt: type an expression or a statement; braces continue on the next line.
        Meta commands:
          :help [name]    this text, or a builtin's documentation (also ?name)
          :vars           your variables with their types and shapes
          :time EXPR      run EXPR and print how long it took
          :load FILE      run a .lab file in this session
          :reset          forget your variables
          :seed N         reset the random generator to seed N
          :lesson [N]     list the lessons, or run lesson N here (its variables stay)
          :quit           leave (Ctrl-D works too)
        Ctrl-C stops a running computation and keeps your variables.
        """

    static let metaCommands = [":help", ":vars", ":time", ":load", ":reset", ":seed", ":lesson", ":quit"]

    func runMeta(_ text: String) {
        if text.hasPrefix("?") {
            showHelp(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
            return
        }
        let body = text.dropFirst()
        let command = body.prefix { !$0.isWhitespace }
        let argument = body.dropFirst(command.count).trimmingCharacters(in: .whitespacesAndNewlines)
        switch command {
        case "help", "h":
            argument.isEmpty ? write(REPL.metaHelp + "\n") : showHelp(argument)
        case "vars":
            showVariables()
        case "time":
            guard !argument.isEmpty else { return write(":time needs an expression, e.g. :time train(enc, data)\n") }
            let start = ContinuousClock.now
            evaluate(argument)
            let elapsed = ContinuousClock.now - start
            write("time: \(REPL.formatDuration(elapsed))\n")
        case "load":
            guard !argument.isEmpty else { return write(":load needs a file name\n") }
            load(argument)
        case "reset":
            scope = host.interpreter.makeScope()
            write("variables cleared\n")
        case "seed":
            guard let seed = UInt64(argument) else { return write(":seed needs a non-negative integer, e.g. :seed 7\n") }
            host.reseed(seed)
            write("random generator reset to seed \(seed)\n")
        case "lesson", "lessons":
            host.lesson(argument, scope, write)
        case "quit", "q", "exit":
            finished = true
        default:
            let suggestion = Suggestions.closest(to: ":" + command, in: REPL.metaCommands)
            write("unknown command :\(command)" + (suggestion.map { "; did you mean \($0)?" } ?? "") + " (:help lists them)\n")
        }
    }

    func showHelp(_ name: String) {
        guard !name.isEmpty else { return write(REPL.metaHelp + "\n") }
        if let text = host.help(name) {
            write(text + "\n")
        } else {
            let suggestion = Suggestions.closest(to: name, in: host.builtinNames)
            write("no builtin named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + "\n")
        }
    }

    func showVariables() {
        let names = scope.localNames
        guard !names.isEmpty else { return write("no variables yet\n") }
        let rows = names.compactMap { name in scope.lookup(name).map { (name, host.summary(of: $0)) } }
        let width = rows.map(\.0.count).max() ?? 0
        for (name, summary) in rows {
            write(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary + "\n")
        }
    }

    func load(_ path: String) {
        let file = path.hasPrefix("\"") && path.hasSuffix("\"") && path.count >= 2
            ? String(path.dropFirst().dropLast()) : path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return write("error: cannot read '\(file)'\n")
        }
        let result = host.withInterruptsCancelling { host.interpreter.run(text, name: file, in: scope) }
        if case .failure(let diagnostics) = result {
            for diagnostic in diagnostics { write(host.render(diagnostic) + "\n") }
        }
    }

    static func formatDuration(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }
}
