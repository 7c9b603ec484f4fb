import ArgumentParser
import Foundation
import LabBuiltins
import LabScript
import LineEditor
import Notebook

/// `selfsup` (no subcommand): the REPL.
struct REPLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "The interactive REPL (the default when no subcommand is given).")

    @OptionGroup var options: CommonOptions

    @Option(help: "History file (default ~/.selfsup/history).")
    var history: String?

    func run() throws {
        let session = options.makeSession()
        let host = REPLHost(session: session)
        let completer = host.completer
        let editor = LineEditor(historyFile: history ?? ProjectPaths.userDirectory + "/history",
                                completer: { line, _ in completer.complete(line) })
        Interrupts.install()
        let write: (String) -> Void = { text in FileHandle.standardOutput.write(Data(text.utf8)) }
        // Long help goes through $PAGER (or less -R), only when a person reads a terminal.
        if editor.isInteractive && isatty(STDOUT_FILENO) == 1 {
            let pager = Pager.forTerminal()
            host.pager = pager.page
            session.context.state.helpSink = { text in if !pager.page(text) { write(text) } }
        }
        let repl = REPL(host: host, input: editor, write: write)
        repl.run()
        if editor.isInteractive { print() }
    }
}

extension REPLHost {
    /// A REPL host over a session: help and seeds from the session, lessons from the
    /// project's `Lessons` folder.
    convenience init(session: ScriptSession) {
        self.init(interpreter: session.interpreter)
        colour = session.display.color
        width = session.display.width
        help = { name in session.context.documentation(for: name) }
        apropos = { word in session.context.apropos(word) }
        reseed = { session.reseed($0) }
        lesson = { argument, write in
            LessonCommand.runInREPL(argument, session: session, scope: session.interpreter.makeScope(), write: write)
        }
        // `check()` grades the exercise cells of the latest `:load` of an exercise file
        // (or, in the kernel, the marked exercise cells run so far).
        let exercise = ExerciseCells(exercisesDirectory: ExerciseRun.exercisesDirectory)
        exercise.attach(to: session.interpreter)
        self.exercise = exercise
        loadExercise = { text, file, scope, write in
            guard let document = ExerciseRun.document(text, name: file) else { return false }
            exercise.reset()
            _ = ExerciseRun.run(document, session: session, scope: scope, exercise: exercise, write: write)
            return true
        }
    }

    /// Completion over the REPL's names and the session's builtins.
    var completer: REPLCompleter {
        let interpreter = self.interpreter
        return REPLCompleter(
            visibleNames: { [weak self] in self?.currentScope?.allNames ?? interpreter.builtins.allNames },
            lookup: { [weak self] name in self?.currentScope?.lookup(name) },
            function: { name in
                if case .native(let function)? = interpreter.builtins.lookup(name) { return function }
                return nil
            },
            lessonNames: { LessonCommand.lessonNames() })
    }
}
