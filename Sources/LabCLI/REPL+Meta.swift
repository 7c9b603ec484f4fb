import Foundation
import LabScript
import LabSupport
import TensorCore

/// One REPL meta command (`:vars`, `:seed 7`, …): its names, how it is written in the help
/// text, what its argument completes to, and what it does. `REPL.metaCommands` is the one
/// table that `:help`, dispatch, tab completion and "did you mean" all read, so adding a
/// command touches one place.
struct MetaCommand: Sendable {
    /// What tab completion offers for the command's argument.
    enum ArgumentCompletion {
        case nothing, builtinNames, lessonNames, paths
    }

    /// The name after `:`, e.g. "seed".
    let name: String
    /// Other names that run the same command (`:h`, `:q`, `:exit`), not listed in help.
    var aliases: [String] = []
    /// The argument as written in the help text, e.g. "N" or "[name]".
    var argument = ""
    /// One line for `:help`.
    let summary: String
    var completion = ArgumentCompletion.nothing
    /// Runs the command with its argument (trimmed; empty when none was given).
    let run: @Sendable (REPL, String) -> Void

    /// `:name argument`, as the help text shows it.
    var usage: String { ":" + name + (argument.isEmpty ? "" : " " + argument) }
}

extension REPL {
    static let metaCommands: [MetaCommand] = [
        MetaCommand(name: "help", aliases: ["h"], argument: "[name]",
                    summary: "this text, or a builtin's documentation (also ?name)",
                    completion: .builtinNames) { repl, argument in
            repl.showHelp(argument)
        },
        MetaCommand(name: "apropos", argument: "WORD",
                    summary: "search the builtins' names and summaries (also ??WORD)") { repl, argument in
            repl.showApropos(argument)
        },
        MetaCommand(name: "vars", summary: "your variables with their types and shapes") { repl, _ in
            repl.showVariables()
        },
        MetaCommand(name: "time", argument: "EXPR", summary: "run EXPR and print how long it took") { repl, argument in
            guard !argument.isEmpty else { return repl.write(Messages.text(":time needs an expression, e.g. :time train(enc, data)") + "\n") }
            let start = ContinuousClock.now
            repl.evaluate(argument)
            repl.write(Messages.text("time: {duration}", ["duration": REPL.formatDuration(ContinuousClock.now - start)]) + "\n")
        },
        MetaCommand(name: "load", argument: "FILE", summary: "run a .lab file in this session (an exercise: with its tests)",
                    completion: .paths) { repl, argument in
            guard !argument.isEmpty else { return repl.write(Messages.text(":load needs a file name") + "\n") }
            repl.load(argument)
        },
        MetaCommand(name: "reset", summary: "forget your variables") { repl, _ in
            repl.scope = repl.host.interpreter.makeScope()
            repl.write(Messages.text("variables cleared") + "\n")
        },
        MetaCommand(name: "seed", argument: "N", summary: "reset the random generator to seed N") { repl, argument in
            guard let seed = UInt64(argument) else { return repl.write(Messages.text(":seed needs a non-negative integer, e.g. :seed 7") + "\n") }
            repl.host.reseed(seed)
            repl.write(Messages.text("random generator reset to seed {seed}", ["seed": String(seed)]) + "\n")
        },
        MetaCommand(name: "lesson", aliases: ["lessons"], argument: "[N]",
                    summary: "list the lessons, or run lesson N (in its own scope)",
                    completion: .lessonNames) { repl, argument in
            guard let lessonScope = repl.host.lesson(argument, repl.write) else { return }
            repl.adoptLessonVariables(from: lessonScope)
        },
        MetaCommand(name: "lang", argument: "[en|zh]",
                    summary: "the language of lessons and messages: show it, or change it") { repl, argument in
            guard !argument.isEmpty else {
                return repl.write(Messages.text("The language is {code}; :lang en or :lang zh changes it.",
                                                ["code": Messages.language.rawValue]) + "\n")
            }
            guard let language = Language(code: argument) else {
                return repl.write(Messages.text(":lang takes en or zh, not '{value}'", ["value": argument]) + "\n")
            }
            Messages.language = language
            repl.write((language == .zh ? Messages.text("Lessons and messages are now in Chinese.")
                                        : Messages.text("Lessons and messages are now in English.")) + "\n")
        },
        MetaCommand(name: "quit", aliases: ["q", "exit"], summary: "leave (Ctrl-D works too)") { repl, _ in
            repl.finished = true
        },
    ]

    /// The command called `name` (or one of its aliases), if any.
    static func metaCommand(named name: some StringProtocol) -> MetaCommand? {
        metaCommands.first { $0.name == name || $0.aliases.contains(String(name)) }
    }

    /// `:help` with no argument, made from the table, its prose and each row's summary
    /// wrapped to `width` columns by display width (a summary goes on under its column).
    static func metaHelp(width: Int = 80) -> String {
        let column = metaCommands.map(\.usage.displayWidth).max() ?? 0
        let rows = metaCommands.flatMap {
            Messages.text($0.summary).wrapped(toDisplayWidth: width,
                                              firstIndent: "  " + $0.usage + $0.usage.padding(toDisplayWidth: column + 4),
                                              indent: String(repeating: " ", count: column + 6))
        }
        let wrap = { (text: String) in text.wrapped(toDisplayWidth: width) }
        return (wrap(Messages.text("LabScript at the prompt: type an expression or a statement; braces continue on the next line."))
                + wrap(Messages.text("help() lists the builtins, ?name shows one, ??word searches them."))
                + wrap(Messages.text("Meta commands:")) + rows
                + wrap(Messages.text("Ctrl-C stops a running computation and keeps your variables.")))
            .joined(separator: "\n")
    }

    func runMeta(_ text: String) {
        if text.hasPrefix("??") {
            showApropos(String(text.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            return
        }
        if text.hasPrefix("?") {
            showHelp(String(text.dropFirst()).trimmingCharacters(in: .whitespaces))
            return
        }
        let body = text.dropFirst()
        let name = body.prefix { !$0.isWhitespace }
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let command = REPL.metaCommand(named: name) else {
            let suggestion = Suggestions.closest(to: ":" + name, in: REPL.metaCommands.map { ":" + $0.name })
            return write((suggestion.map {
                Messages.text("unknown command :{name}; did you mean {suggestion}? (:help lists them)",
                              ["name": String(name), "suggestion": $0])
            } ?? Messages.text("unknown command :{name} (:help lists them)", ["name": String(name)])) + "\n")
        }
        command.run(self, argument)
    }

    func showHelp(_ name: String) {
        guard !name.isEmpty else { return write(REPL.metaHelp(width: host.width) + "\n") }
        if let text = host.help(name) {
            writeLong(text + "\n")
        } else {
            write(Suggestions.message(for: name, in: host.builtinNames,
                plain: { Messages.text("no builtin named '{name}'", ["name": name]) },
                suggesting: { Messages.text("no builtin named '{name}'; did you mean '{suggestion}'?", ["name": name, "suggestion": $0]) })
                + "\n")
        }
    }

    /// After `:lesson N`, which ran in a scope of its own: the lesson's variables join the
    /// learner's. A name the learner has too is replaced only when they answer yes; an
    /// answer other than y/yes, or no answer (end of input, a notebook), keeps theirs.
    func adoptLessonVariables(from lessonScope: Scope) {
        let names = lessonScope.localNames
        guard !names.isEmpty else { return }
        let mine = Set(scope.localNames)
        let clashes = names.filter(mine.contains)
        var replace = false
        if !clashes.isEmpty {
            let question = Messages.text("The lesson made {names}, which you have too. Replace yours with the lesson's? [y/N] ",
                                         ["names": clashes.joined(separator: ", ")])
            write("\n")
            if case .line(let answer) = input.readLine(prompt: question) {
                replace = ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        for name in names where replace || !mine.contains(name) {
            if let value = lessonScope.lookup(name) { scope.define(name, value) }
        }
        if clashes.isEmpty || replace {
            write("\n" + Messages.text("The lesson's variables are yours now: try :vars") + "\n")
        } else {
            write("\n" + Messages.text("Kept your {names}; the lesson's other variables are yours now: try :vars",
                                       ["names": clashes.joined(separator: ", ")]) + "\n")
        }
    }

    func showApropos(_ word: String) {
        guard !word.isEmpty else { return write(Messages.text("??word and :apropos need a word, e.g. ??probe") + "\n") }
        writeLong(host.apropos(word) + "\n")
    }

    func showVariables() {
        let names = scope.localNames
        guard !names.isEmpty else { return write(Messages.text("no variables yet") + "\n") }
        let rows = names.compactMap { name in scope.lookup(name).map { (name, host.summary(of: $0)) } }
        let width = rows.map(\.0.displayWidth).max() ?? 0
        for (name, summary) in rows {
            write(name + name.padding(toDisplayWidth: width) + "  " + summary + "\n")
        }
    }

    func load(_ path: String) {
        let file = path.hasPrefix("\"") && path.hasSuffix("\"") && path.count >= 2
            ? String(path.dropFirst().dropLast()) : path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return write(Messages.text("error: cannot read '{file}'", ["file": file]) + "\n")
        }
        if host.loadExercise(text, file, scope, write) { return }
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
