import Foundation

/// What a grading tells its caller while it runs, for a caller that must not lose the
/// results so far if its process is stopped: class grading runs each hand-in in a process
/// of its own, under limits, and saves the record after every test
/// (`HandInRecord`, written by `selfsup grade`'s hand-in worker), so a hand-in stopped by
/// a limit keeps the marks of the tests it completed. Every callback is optional; a plain
/// grading has none.
public struct GradeObserver {
    /// The exercise about to be graded (its tests known, none run yet) and its official file.
    public var started: ((ExerciseFile, URL) -> Void)?
    /// Text the learner's code prints (its cells and the tests), as it prints it.
    public var printed: ((String) -> Void)?
    /// The report so far, after each test (its `tests` are the tests run so far).
    public var testFinished: ((GradeReport) -> Void)?

    public init(started: ((ExerciseFile, URL) -> Void)? = nil, printed: ((String) -> Void)? = nil,
                testFinished: ((GradeReport) -> Void)? = nil) {
        self.started = started
        self.printed = printed
        self.testFinished = testFinished
    }
}
