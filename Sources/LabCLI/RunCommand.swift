import ArgumentParser
import Foundation
import LabScript
import Notebook

/// `selfsup run FILE`: runs a script or lesson top to bottom.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .lab script or lesson top to bottom ('-' reads standard input).",
        discussion: "An exercise file is not run: it says how to grade it. Exit status 0 on success, 1 on a script error or a failed expectation, 2 when the file cannot be read or is an exercise.")

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
                printError("selfsup run: cannot read '\(file)'")
                throw ExitCode(2)
            }
            text = contents
            name = file
        }
        try RunCommand.refuseExercise(text: text, name: name, command: "run")
        let session = Session.make(options)
        if case .failure(let diagnostics) = session.run(text, name: name) {
            Session.report(diagnostics, colour: session.display.color)
            throw ExitCode(1)
        }
    }
}

extension RunCommand {
    /// An exercise file (or a hand-in of one) is graded, not run: its `todo(...)` would
    /// fail with "undefined name". Says which exercise it is and how to grade it (exit 2).
    static func refuseExercise(text: String, name: String, command: String) throws {
        guard ExerciseArgument.isExercise(text: text, file: name) else { return }
        let official = ExerciseArguments.exercisesDirectory.flatMap { directory in
            (try? NotebookDocument(handInText: text, file: name)).flatMap { try? OfficialExercise.find(for: $0, in: directory) }
        }
        guard let official else {
            printError("selfsup \(command): \(name) is an exercise file (it has [exercise] cells): grade it with "
                + "`selfsup grade \(name)` instead of running it")
            throw ExitCode.usage
        }
        let key = ExerciseProgress.key(for: official)
        let short = ExerciseArguments.shortName(key)
        printError("selfsup \(command): \(name) is exercise \(key): grade it with `selfsup grade \(short)` "
            + "(your working copy) or `selfsup grade \(name)`, or `selfsup watch \(short)` to grade it on every save")
        throw ExitCode.usage
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
        let markdown = Session.make().docsMarkdown()
        if let output {
            do {
                try markdown.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                printError("selfsup docs: cannot write '\(output)': \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            print(markdown, terminator: markdown.hasSuffix("\n") ? "" : "\n")
        }
    }
}
