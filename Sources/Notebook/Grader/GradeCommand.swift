import Foundation
import LabSupport

/// What `selfsup grade` does, as a function the CLI calls: find the official exercise,
/// put it together with the hand-in's exercise cells (`ExerciseFile.handIn`), add the
/// teacher's hidden tests, grade, write `--json`, and say what to print and the exit status.
///
/// The official file is `officialFile` when the teacher names one, else the exercise of
/// `exercisesDirectory` the hand-in's exercise ids belong to (`OfficialExercise.find`); a
/// hand-in of no known exercise is refused. The hidden tests are `testsFile`, else the
/// official file's `tests/NN-name.tests.lab` when it exists. Nothing of the hand-in but
/// its exercise cells is used: its tests, points, timeouts and `forbid=` are ignored.
/// In another language than English (`Messages.language`) each of the two files is read
/// through its translated twin (`zh/` beside it) when there is one.
///
/// Exit status: 0 when grading finished, whatever the score; with `strict`, 1 unless full
/// marks; 2 when the file cannot be graded (unreadable, not an exercise file, a malformed
/// tests file, results that cannot be written), with the reason in `text`.
public struct GradeOutcome: Sendable {
    public var status: Int32
    /// The human report, or the reason grading could not happen.
    public var text: String
    /// nil when the file could not be graded.
    public var report: GradeReport?
}

public struct GradeRequest: Sendable {
    public var file: URL
    public var testsFile: URL?
    /// The official exercise file, when the teacher names it (else it is looked up).
    public var officialFile: URL?
    /// Where official exercises are looked up by id (`Lessons/Exercises`).
    public var exercisesDirectory: URL?
    public var jsonPath: URL?
    public var strict: Bool
    public var colour: Bool
    public var options: GraderOptions
    /// Records the result (best score, state) in this progress file when set.
    public var progress: ProgressStore?

    public init(file: URL, testsFile: URL? = nil, jsonPath: URL? = nil, strict: Bool = false,
                colour: Bool = false, options: GraderOptions = GraderOptions(), progress: ProgressStore? = nil,
                officialFile: URL? = nil, exercisesDirectory: URL? = nil) {
        self.officialFile = officialFile
        self.exercisesDirectory = exercisesDirectory
        self.progress = progress
        self.file = file
        self.testsFile = testsFile
        self.jsonPath = jsonPath
        self.strict = strict
        self.colour = colour
        self.options = options
    }
}

public enum GradeCommand {
    /// `observer` is told the exercise once it is put together, then what the learner's
    /// code prints and the report after each test (see `GradeObserver`).
    public static func run(_ request: GradeRequest,
                           makeSession: @escaping ScriptSession.Factory = ScriptSession.standard,
                           observer: GradeObserver = GradeObserver()) -> GradeOutcome {
        var exercise: ExerciseFile
        let officialURL: URL
        var warnings = ""
        do {
            let handIn = try NotebookDocument(handIn: request.file)
            if let given = request.officialFile {
                officialURL = given
            } else if let directory = request.exercisesDirectory {
                do { officialURL = try OfficialExercise.find(for: handIn, in: directory) } catch {
                    return GradeOutcome(status: 2, text: "cannot grade: \(error.description)\n", report: nil)
                }
            } else {
                return GradeOutcome(status: 2, text: "cannot grade: the exercises folder is not known, so the official "
                                    + "exercise cannot be found; give it with --official PATH\n", report: nil)
            }
            // In another language the translated twins of the official file and of its tests
            // are graded, where they exist (the same programs, `LessonTranslation.drift`);
            // the exercise is still found and keyed by the English file.
            let language = Messages.language
            let official = try ExerciseFile(contentsOf: LessonTranslation.inLanguage(officialURL, language))
            exercise = try ExerciseFile.handIn(handIn, official: official)
            warnings = missingExercisesWarning(handIn: handIn, official: official)
            if let testsURL = (request.testsFile ?? OfficialExercise.hiddenTests(of: officialURL))
                .map({ LessonTranslation.inLanguage($0, language) }) {
                exercise = try exercise.merging(hiddenTests: try NotebookDocument(contentsOf: testsURL))
            }
        } catch {
            return GradeOutcome(status: 2, text: "cannot grade: \(error.description)\n", report: nil)
        }
        observer.started?(exercise, officialURL)
        let grader = Grader(options: request.options, makeSession: makeSession)
        grader.observer = observer
        let report = grader.grade(exercise)
        var text = warnings + report.humanText(colour: request.colour)
        if let jsonPath = request.jsonPath {
            do {
                try GradescopeResults(report: report).write(to: jsonPath)
            } catch {
                return GradeOutcome(status: 2, text: text + "cannot write the results: \(error.description)\n", report: report)
            }
            text += Messages.text("Results written to {path}", ["path": jsonPath.path]) + "\n"
        }
        if let store = request.progress {
            do {
                _ = try store.update { $0.record(report, for: ExerciseProgress.key(for: officialURL)) }
            } catch {
                text += "warning: \(error.description)\n"
            }
        }
        let status: Int32 = request.strict && !report.isFullMarks ? 1 : 0
        return GradeOutcome(status: status, text: text, report: report)
    }

    /// A line naming the official exercises the hand-in has no cell for (their starter
    /// code, with its `todo`, is what was graded), so a hand-in that lost its cells' ids
    /// does not score 0 without a word. Empty when every exercise was handed in.
    static func missingExercisesWarning(handIn: NotebookDocument, official: ExerciseFile) -> String {
        let given = Set(handIn.cells.filter { $0.kind == .exercise }.compactMap { $0.metadata["id"] })
        let missing = official.exercises.map(\.id).filter { !given.contains($0) }
        guard !missing.isEmpty else { return "" }
        return Messages.text("warning: {file} has no [exercise] cell with id {ids}, so the official starter code was graded in its place", ["file": GradeReport.sanitized(handIn.file), "ids": missing.joined(separator: ", ")]) + "\n"
    }
}
