import ArgumentParser
import Foundation
import LabSupport
import LabScript
import Notebook

/// `selfsup run FILE`: runs a script or lesson top to bottom.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .lab script or lesson top to bottom ('-' reads standard input).",
        discussion: "An exercise file runs cell by cell: its tests as the grader runs them (a pass prints \u{2713} name, points), "
            + "and check() grades the exercise cells run so far against its visible tests; then it says how to grade it. "
            + "Exit status 0 on success, 1 on a script error or a failed expectation or test, 2 when the file cannot be read.")

    @ArgumentParser.Argument(help: "The script to run, or '-' for standard input.")
    var file: String

    @OptionGroup var options: CommonOptions

    func run() throws {
        let text: String
        let name: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            name = "<stdin>"
        } else {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError(Messages.text("selfsup run: cannot read '{file}'", ["file": file]))
                throw ExitCode(2)
            }
            text = contents
            name = file
        }
        let session = options.makeSession()
        if let document = ExerciseRun.document(text, name: name) {
            let exercise = ExerciseCells(exercisesDirectory: ExerciseRun.exercisesDirectory)
            let run = ExerciseRun.run(document, session: session, scope: nil, exercise: exercise,
                                      write: LessonRunner.writeToStandardOutput)
            if let advice = RunCommand.exerciseAdvice(text: text, name: name) {
                printError(advice)
            }
            if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
            return
        }
        if case .failure(let diagnostics) = session.context.run(text, name: name) {
            reportDiagnostics(diagnostics, colour: session.display.color)
            throw ExitCode(1)
        }
    }
}

extension RunCommand {
    /// An exercise file (or a hand-in of one) is graded, not run: its `todo(...)` would
    /// fail with "undefined name". Says which exercise it is and how to grade it (exit 2).
    /// Refuses an exercise file where a lesson or script is expected, saying how to grade it.
    static func refuseExercise(text: String, name: String, command: String) throws {
        guard let advice = exerciseAdvice(text: text, name: name) else { return }
        printError("selfsup \(command): " + advice)
        throw ExitCode.usage
    }

    /// For an exercise file (it has `[exercise]` cells), a whole sentence: "NAME is exercise
    /// NN-name: grade it with …", naming the learner's commands; nil for any other file.
    static func exerciseAdvice(text: String, name: String) -> String? {
        guard ExerciseArgument.isExercise(text: text, file: name) else { return nil }
        let official = ExerciseArguments.exercisesDirectory.flatMap { directory in
            (try? NotebookDocument(handInText: text, file: name)).flatMap { try? OfficialExercise.find(for: $0, in: directory) }
        }
        guard let official else {
            return Messages.text("{file} is an exercise file (it has [exercise] cells): grade it with `selfsup grade {file}`",
                                 ["file": name])
        }
        let key = ExerciseProgress.key(for: official)
        return Messages.text("{file} is exercise {exercise}: grade it with `selfsup grade {short}` (your working copy) or `selfsup grade {file}`, or `selfsup watch {short}` to grade it on every save",
                             ["file": name, "exercise": key, "short": ExerciseArguments.shortName(key)])
    }
}

/// `selfsup docs`: every builtin's documentation as Markdown, from the registry.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print every builtin's documentation as Markdown (generated from the registry).")

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let markdown = ScriptSession().context.docsMarkdown()
        if let output {
            do {
                try markdown.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                printError("selfsup docs: " + Messages.text("cannot write '{file}': {reason}",
                                                            ["file": output, "reason": error.localizedDescription]))
                throw ExitCode(2)
            }
        } else {
            print(markdown, terminator: markdown.hasSuffix("\n") ? "" : "\n")
        }
    }
}
