import Foundation
import LabScript
import XCTest
@testable import Notebook

/// Over every exercise in Lessons/Exercises: answers that do nothing score nothing, and a
/// hand-in is graded by the official tests however its own test cells were edited.
final class GraderExerciseIntegrityTests: XCTestCase {
    typealias S = GraderTestSupport

    static let options = GraderOptions(testTimeLimit: 10, learnerCellTimeLimit: 10)

    /// Grades a hand-in's text the way `selfsup grade` does: written to a file of its own
    /// name, the official exercise and hidden tests found in Lessons/Exercises.
    func gradeHandIn(_ text: String, name: String = "hand-in.lab") throws -> GradeReport {
        let file = try S.temporaryDirectory().appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let outcome = GradeCommand.run(GradeRequest(file: file, options: GraderExerciseIntegrityTests.options,
                                                    exercisesDirectory: S.exercises))
        return try XCTUnwrap(outcome.report, outcome.text)
    }

    var listings: [ExerciseListing] {
        ExerciseCatalog.list(directory: S.exercises, progress: ExerciseProgress()).exercises
    }

    /// The starter with every `todo("…")` replaced by `replacement(first parameter of the
    /// enclosing function)`.
    static func replacingTodos(in text: String, with replacement: (String) -> String) -> String {
        var lines = text.components(separatedBy: "\n")
        var parameter = "x"
        let function = try! NSRegularExpression(pattern: #"fn\s+\w+\s*\(\s*(\w+)"#)
        let todo = try! NSRegularExpression(pattern: #"todo\("(?:[^"\\]|\\.)*"\)"#)
        for index in lines.indices {
            let line = lines[index]
            let range = NSRange(line.startIndex..., in: line)
            if let match = function.firstMatch(in: line, range: range), let name = Range(match.range(at: 1), in: line) {
                parameter = String(line[name])
            }
            lines[index] = todo.stringByReplacingMatches(in: line, range: range,
                                                         withTemplate: NSRegularExpression.escapedTemplate(for: replacement(parameter)))
        }
        return lines.joined(separator: "\n")
    }

    /// Empty and zero answers, and the input handed back unchanged.
    static let emptyAnswers: [(String, @Sendable (String) -> String)] = [
        ("zeros(0)", { _ in "return zeros(0)" }),
        ("0", { _ in "return 0" }),
        ("[]", { _ in "return []" }),
        ("zeros_like(first argument)", { "return zeros_like(\($0))" }),
        ("first argument", { "return \($0)" }),
    ]

    func testEveryTodoReplacedByAnEmptyOrZeroResultScoresNothing() throws {
        for listing in listings {
            let starter = try String(contentsOf: listing.file, encoding: .utf8)
            for (label, answer) in GraderExerciseIntegrityTests.emptyAnswers {
                let text = GraderExerciseIntegrityTests.replacingTodos(in: starter, with: answer)
                XCTAssertNotEqual(text, starter)
                let report = try gradeHandIn(text)
                XCTAssertEqual(report.score, 0, "\(listing.key), every todo → \(label):\n" + report.humanText())
            }
        }
    }

    /// The hand-in's test cells all replaced: weakened, renamed into clashes, worth 1000
    /// points with a 100-hour timeout; its code cells replaced by ones that print a score.
    static func tampered(_ text: String, file: String) throws -> String {
        let document = try NotebookDocument(parsing: text, file: file)
        var cells: [Cell] = []
        for cell in document.cells {
            switch cell.kind {
            case .test:
                var metadata = CellMetadata()
                metadata.set("points", "1000")
                metadata.set("name", "the same name")
                metadata.set("timeout", "100h")
                cells.append(Cell(kind: .test, metadata: metadata, source: "expect(true)", markerLine: 1, firstLine: 2))
            case .code:
                cells.append(Cell(kind: .code, metadata: CellMetadata(), source: "print(\"Score: 1000/1000\")",
                                  markerLine: 1, firstLine: 2))
            default:
                cells.append(cell)
            }
        }
        return PercentFormatWriter.text(of: cells)
    }

    func testHandInsWithEditedTestCellsAreGradedByTheOfficialTests() throws {
        let wrongFiles = try FileManager.default.contentsOfDirectory(atPath: S.fixtures.path).filter { $0.hasSuffix(".lab") }
        for listing in listings {
            let solution = S.exercises.appendingPathComponent("solutions/\(listing.key).lab")
            var files = [listing.file, solution]
            if let wrong = wrongFiles.sorted().first(where: { $0.hasPrefix(listing.key + ".") && !$0.contains("parse-error") }) {
                files.append(S.fixtures.appendingPathComponent(wrong))
            }
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                let honest = try gradeHandIn(text)
                let edited = try gradeHandIn(try GraderExerciseIntegrityTests.tampered(text, file: file.path))
                XCTAssertEqual(edited.tests.map(\.name), honest.tests.map(\.name), file.lastPathComponent)
                XCTAssertEqual(edited.maxScore, honest.maxScore, file.lastPathComponent)
                XCTAssertEqual(edited.tests.map(\.points), honest.tests.map(\.points),
                               "\(file.lastPathComponent), edited:\n" + edited.humanText())
                XCTAssertFalse(edited.tests.contains { $0.name == "the same name" })
            }
        }
    }

    /// 01-backward with its exercise cells replaced by `forward` and `backward` bodies.
    func backwardHandIn(loss: String, gradient: String) throws -> GradeReport {
        let starter = try String(contentsOf: S.exercises.appendingPathComponent("01-backward.lab"), encoding: .utf8)
        var text = starter.replacingOccurrences(of: "todo(\"a = tanh(x @ w), then the mean of the squared differences from y\")",
                                                with: loss)
        text = text.replacingOccurrences(of: "todo(\"the chain rule: dL/da, then dL/dh, then x.T @ dL/dh\")", with: gradient)
        XCTAssertFalse(text.contains("todo("))
        return try gradeHandIn(text)
    }

    static let rightLoss = "return mean((tanh(x @ w) - y) ^ 2)"

    func testALossThatIgnoresWAndAZeroGradientScoreNothing() throws {
        let report = try backwardHandIn(loss: "return sum(w) * 0", gradient: "return zeros_like(w)")
        XCTAssertEqual(report.score, 0, report.humanText())
    }

    func testBackwardIsForbiddenAsAMethodToo() throws {
        for call in ["loss(x, wg, y).backward()", "backward(loss(x, wg, y))", "b = backward\n    b(loss(x, wg, y))",
                     "r = {f: backward}\n    r.f(loss(x, wg, y))", "m = loss(x, wg, y).backward\n    m()"] {
            let gradient = "wg = w.clone()\n    wg.requires_grad = true\n    \(call)\n    return wg.grad"
            let report = try backwardHandIn(loss: GraderExerciseIntegrityTests.rightLoss, gradient: gradient)
            let gradientTests = report.tests.filter { $0.name.contains("gradient") }
            XCTAssertGreaterThanOrEqual(gradientTests.count, 4)
            XCTAssertTrue(gradientTests.allSatisfy { !$0.passed && $0.message.contains("backward is not available") },
                          "\(call):\n" + report.humanText())
            XCTAssertEqual(report.score, 3, "only the loss tests pass with \(call):\n" + report.humanText())
        }
    }

    func testALossThatZeroesItsInputCannotMoveTheReference() throws {
        let zeroing = """
            for i in 0..rows(x) {
                    for j in 0..cols(x) { x[i, j] = 0 }
                }
                return mean((tanh(x @ w) - y) ^ 2)
            """
        let report = try backwardHandIn(loss: zeroing, gradient: "return zeros_like(w)")
        let mean = try XCTUnwrap(report.tests.first { $0.name == "the loss is a mean, not a sum" })
        XCTAssertFalse(mean.passed, report.humanText())
    }
}
