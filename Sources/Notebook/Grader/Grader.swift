import Foundation
import LabScript
import LabSupport

/// Settings of a grading.
public struct GraderOptions: Sendable {
    /// Seconds a test may run unless it says `timeout=` (an endless loop fails that test).
    public var testTimeLimit: Double
    /// Seconds each learner cell may run.
    public var learnerCellTimeLimit: Double
    /// Every test starts with the session generator at this seed, whatever the learner drew.
    public var testSeed: UInt64
    /// Largest tensor (in elements) any code may create while grading: exercises work on
    /// small tensors, and one huge matrix product would not notice the time limit.
    public var maxElements: Int

    public init(testTimeLimit: Double = 10, learnerCellTimeLimit: Double = 30, testSeed: UInt64 = 0,
                maxElements: Int = 4_000_000) {
        self.testTimeLimit = testTimeLimit
        self.learnerCellTimeLimit = learnerCellTimeLimit
        self.testSeed = testSeed
        self.maxElements = maxElements
    }
}

/// Grades an exercise file: runs the learner's code and exercise cells in the learner
/// scope, then every test (visible, then the teacher's hidden ones) in the grader's own
/// scope, each within its time limit. See `GraderScopes` for why learner code cannot
/// change what the tests see. Grading always finishes; a test fails, it never stops the run.
///
///     let exercise = try ExerciseFile(contentsOf: url).merging(hiddenTests: teacherTests)
///     let report = Grader(makeSession: ScriptSession.standard).grade(exercise)
///     print(report.humanText())
public final class Grader {
    public var options: GraderOptions
    public let makeSession: ScriptSession.Factory
    /// Told what the learner's code prints and the report after each test (class grading).
    public var observer = GradeObserver()

    public init(options: GraderOptions = GraderOptions(),
                makeSession: @escaping ScriptSession.Factory = ScriptSession.standard) {
        self.options = options
        self.makeSession = makeSession
    }

    public func grade(_ exercise: ExerciseFile) -> GradeReport {
        let start = ContinuousClock.now
        let learnerFile = exercise.document.file
        let session = makeSession(BufferOutputSink(), CancellationFlag())
        session.interpreter.limits.maxElements = options.maxElements
        let forbidden = exercise.exercises.flatMap { Grader.names(in: $0.cell.metadata["forbid"]) }
        let scopes = GraderScopes(interpreter: session.interpreter, forbidden: forbidden)
        session.interpreter.restrictedNames = scopes.restrictions
        let runner = CodeRunner(session: session)
        let printed: (CellOutput) -> Void = { [observer] output in
            if case .text(let text) = output { observer.printed?(text) }
        }

        var learnerErrors: [LearnerCellError] = []
        for cell in exercise.learnerCells {
            // Code cells of an official file keep its name (their lines are its lines).
            let file = cell.kind == .exercise ? learnerFile : (exercise.setupFile ?? learnerFile)
            let run = runner.run(cell.source, file: file, firstLine: cell.firstLine,
                                 in: scopes.learner, timeLimit: options.learnerCellTimeLimit, untrusted: true,
                                 onOutput: printed)
            if let first = run.diagnostics.first {
                learnerErrors.append(LearnerCellError(line: first.line, rendered: render(run.diagnostics, hiddenFile: nil)))
            }
        }

        let learnerErrorsFound = learnerErrors
        func report(_ tests: [TestResult]) -> GradeReport {
            GradeReport(file: learnerFile, officialFile: exercise.setupFile,
                        testsFile: exercise.tests.first(where: \.isHidden)?.file,
                        tests: tests, learnerErrors: learnerErrorsFound, shadowedNames: scopes.shadowedLearnerNames,
                        seconds: (ContinuousClock.now - start).seconds)
        }
        var results: [TestResult] = []
        let snapshot = scopes.snapshotForTests()
        for test in exercise.tests {
            session.reseed(options.testSeed)
            let limit = test.timeoutSeconds ?? options.testTimeLimit
            let run = runner.run(test.cell.source, file: test.file, firstLine: test.cell.firstLine,
                                 in: scopes.makeTestScope(snapshot), timeLimit: limit, onOutput: printed)
            var message = "passed"
            if !run.succeeded {
                message = render(run.diagnostics, hiddenFile: test.isHidden ? test.file : nil)
                if !learnerErrors.isEmpty, run.diagnostics.contains(where: { $0.kind == .runtime(.undefinedName) }) {
                    message += "\n" + Messages.text("(your code stopped early with an error at line {lines}: see above)",
                                                    ["lines": learnerErrors.map { String($0.line) }.joined(separator: ", ")])
                }
            }
            results.append(TestResult(name: test.name, points: run.succeeded ? test.points : 0, maxPoints: test.points,
                                      passed: run.succeeded, message: message, isHidden: test.isHidden,
                                      timedOut: run.timedOut, seconds: run.seconds, printed: run.printedText))
            if let testFinished = observer.testFinished { testFinished(report(results)) }
        }
        return report(results)
    }

    /// Diagnostics as text. In a hidden test's file only the message is shown (never its
    /// source line), and call-stack notes pointing into that file are left out; errors in
    /// the learner's file are rendered in full, with the line and a caret.
    func render(_ diagnostics: [Diagnostic], hiddenFile: String?) -> String {
        diagnostics.map { diagnostic -> String in
            var shown = diagnostic
            if let hiddenFile {
                shown.callStack = diagnostic.callStack.filter { $0.callSite.file.name != hiddenFile }
                if diagnostic.range.file.name == hiddenFile {
                    let notes = DiagnosticRenderer.stackNotes(shown.callStack)
                    return ([diagnostic.message] + notes).joined(separator: "\n")
                }
            }
            if diagnostic.kind == .runtime(.expectationFailed) && shown.callStack.isEmpty {
                return diagnostic.message + " (\(diagnostic.range.shortDescription))"
            }
            return DiagnosticRenderer().render(shown)
        }.joined(separator: "\n")
    }

    /// `"nt_xent, barlow_twins"` → the names.
    static func names(in list: String?) -> [String] {
        guard let list else { return [] }
        return list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}

extension DiagnosticRenderer {
    /// The call-stack lines of a diagnostic, as `render` prints them.
    static func stackNotes(_ frames: [StackFrame]) -> [String] {
        frames.map { "  in \($0.function)(), called at \($0.callSite.shortDescription)" }
    }
}
