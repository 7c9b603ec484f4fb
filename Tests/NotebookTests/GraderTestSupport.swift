import Foundation
import LabScript
import XCTest
@testable import Notebook

/// Shared helpers of the grader tests: a small exercise on lists (no tensors needed),
/// grading of texts, and the repository paths of the real exercises.
enum GraderTestSupport {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exercises = repository.appendingPathComponent("Lessons/Exercises")
    static let fixtures = exercises.appendingPathComponent("wrong")

    /// Short limits so the tamper tests stay quick.
    static let quick = GraderOptions(testTimeLimit: 1, learnerCellTimeLimit: 1)

    /// The starter of a small exercise on lists; `body(mean, variance)` fills it in.
    static func meanExercise(mean: String = "todo(\"add the items and divide by how many there are\")",
                             variance: String = "todo(\"the mean of the squared differences from the mean\")",
                             extra: String = "") -> String {
        """
        # %% [markdown]
        # # Mean and variance
        # Two small functions on lists.

        # %% [exercise] id=mean
        fn mean_of(xs) {
            \(mean)
        }

        # %% [hint]
        # Add the items in a `for` loop.

        # %% [exercise] id=variance
        fn variance_of(xs) {
            \(variance)
        }
        \(extra)
        # %% [hint]
        # Divide by `len(xs)`, not `len(xs) - 1`.

        # %% [test] points=2 name="mean of three numbers"
        expect_close(mean_of([1, 2, 6]), 3)

        # %% [test] points=3 name="variance divides by n"
        expect_close(variance_of([1, 2, 6]), 14 / 3, message: "variance of [1, 2, 6]")

        """
    }

    static let meanSolution = """
        total = 0
            for x in xs { total += x }
            return total / len(xs)
        """
    static let varianceSolution = """
        m = mean_of(xs)
            total = 0
            for x in xs { total += (x - m) ^ 2 }
            return total / len(xs)
        """
    /// The classic mistake: the unbiased denominator n − 1.
    static let varianceWrongDenominator = """
        m = mean_of(xs)
            total = 0
            for x in xs { total += (x - m) ^ 2 }
            return total / (len(xs) - 1)
        """

    static let hiddenTests = """
        # %% [markdown]
        # Teacher's tests.

        # %% [test] points=1 name="mean of one number"
        secret_marker = 12345
        expect_close(mean_of([7]), 7, message: "SECRET-MESSAGE mean of [7]")

        # %% [test] points=2 name="variance of a constant list"
        expect_close(variance_of([4, 4, 4, 4]), 0)

        """

    static func grade(_ text: String, file: String = "mean.lab", hidden: String? = nil,
                      options: GraderOptions = quick,
                      makeSession: @escaping ScriptSession.Factory = ScriptSession.languageOnly) throws -> GradeReport {
        var exercise = try ExerciseFile(parsing: text, file: file)
        if let hidden {
            exercise = try exercise.merging(hiddenTests: try NotebookDocument(parsing: hidden, file: "mean.tests.lab"))
        }
        return Grader(options: options, makeSession: makeSession).grade(exercise)
    }

    /// The 1-based line of the first line of `text` containing `needle`.
    static func line(of needle: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
