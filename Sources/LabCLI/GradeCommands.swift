import ArgumentParser
import Display
import Foundation
import Notebook

/// `selfsup grade EXERCISE`: grades an exercise.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade an exercise: the learner's cells, then each test in the grader's own scope.",
        discussion: """
            EXERCISE is a file, or an exercise's number or name (02, 2, 02-nt-xent, nt-xent): \
            your working copy from `selfsup start` (NN-name.lab in the working directory, else \
            where start wrote it), or the official starter when you have none. The hand-in is \
            graded against the official exercise: its visible tests, the teacher's hidden tests \
            and their time limits; the hand-in gives only its [exercise] cells. A notebook from \
            `selfsup export EXERCISE.lab --to ipynb` is graded exactly as the .lab file: it \
            names its exercise, and its exercise cells keep their ids in their metadata. The \
            result goes into your progress (`selfsup exercises`) only when you grade your own \
            working copy (by number or name, or by its path) without --official, --tests or \
            --json; any other file is graded for someone else. Exit status 0 when grading \
            finished, whatever the score (with --strict: 1 unless full marks); 2 when the file \
            cannot be graded.
            """)

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or a file: .lab, or .ipynb from `selfsup export EXERCISE.lab --to ipynb` (only its [exercise] cells are used).")
    var exercise: String

    @Option(help: "The official exercise file to grade against (default: the exercise of Lessons/Exercises with the same exercise ids; a hand-in of no known exercise needs this).")
    var official: String?

    @Option(help: "A teacher's hidden tests file (default: the official file's tests/NN-name.tests.lab): its tests are run and reported by name, their code is never shown.")
    var tests: String?

    @Option(help: "Write Gradescope results.json to this path.")
    var json: String?

    @Flag(help: "Exit with status 1 unless the score is full marks.")
    var strict = false

    /// The teacher's options (an official file, hidden tests, Gradescope results) mean the
    /// hand-in is someone else's, whose score is not the grader's own progress.
    var usesTeacherOptions: Bool { official != nil || tests != nil || json != nil }

    /// Only the learner grading their own working copy records progress.
    func recordsProgress(_ target: ExerciseTarget) -> Bool { target.isWorkingCopy && !usesTeacherOptions }

    func run() throws {
        let target = try ExerciseArguments.resolve(exercise, command: "grade")
        let colour = TerminalCapabilities.detect().colorEnabled
        let records = recordsProgress(target)
        let request = GradeRequest(file: target.file,
                                   testsFile: tests.map { URL(fileURLWithPath: $0) },
                                   jsonPath: json.map { URL(fileURLWithPath: $0) },
                                   strict: strict, colour: colour,
                                   progress: records ? ProgressStore.standard() : nil,
                                   officialFile: official.map { URL(fileURLWithPath: $0) } ?? target.official,
                                   exercisesDirectory: ProjectPaths.exercises.map { URL(fileURLWithPath: $0) })
        let outcome = Notebook.GradeCommand.run(request)
        if outcome.status == 2 {
            FileHandle.standardError.write(Data(outcome.text.utf8))
        } else {
            print(outcome.text, terminator: "")
            if !records && !usesTeacherOptions, let note = ExerciseArguments.notRecordedNote(target) { print(note) }
        }
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}

/// `selfsup exercises`: every exercise with its lesson, points and state.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "List every exercise with its lesson, points and your progress.")

    func run() throws {
        guard let directory = ProjectPaths.exercises else {
            printError("selfsup exercises: cannot find Lessons/Exercises (set SELFSUP_ROOT to the project folder)")
            throw ExitCode(2)
        }
        let progress: ExerciseProgress
        do { progress = try ProgressStore.standard().load() } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let (listings, problems) = ExerciseCatalog.list(directory: URL(fileURLWithPath: directory), progress: progress)
        print(ExerciseCatalog.table(listings), terminator: "")
        print("`selfsup start 02` copies exercise 02 here to work on; `selfsup watch` grades the first one "
            + "not yet passing on every save.")
        for problem in problems { printError("warning: \(problem)") }
    }
}

/// `selfsup hint EXERCISE`: the next hint of an exercise.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Show the next hint of an exercise (hints come in order; each call shows one more).",
        discussion: "EXERCISE is its number or name (02, nt-xent) or a file of it; the hints are the official exercise's.")

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or an exercise file (.lab).")
    var exercise: String

    func run() throws {
        let target = try ExerciseArguments.resolve(exercise, command: "hint")
        do {
            let reply = try ExerciseHints.next(file: target.official ?? target.file, store: ProgressStore.standard())
            print(reply.text, terminator: reply.text.hasSuffix("\n") ? "" : "\n")
        } catch {
            printError("selfsup hint: \(error)")
            throw ExitCode(2)
        }
    }
}
