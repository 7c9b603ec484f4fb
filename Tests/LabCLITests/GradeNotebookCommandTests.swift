import ArgumentParser
import Foundation
import Notebook
import XCTest
@testable import LabCLI

/// The notebook hand-in through the command line, end to end: `selfsup export EXERCISE.lab
/// --to ipynb`, the learner's code pasted into the notebook's exercise cells (its JSON
/// edited), `selfsup grade work.ipynb` with no other hint of the exercise.
final class GradeNotebookCommandTests: XCTestCase {
    static let exercises = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons/Exercises")

    func run(_ arguments: [String]) throws {
        var command = try SelfSupCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// `notebook` with the source of each exercise cell replaced by the code of the
    /// `.lab` hand-in's exercise cell of the same id (class grading's tests use it too).
    static func paste(_ handIn: URL, into notebook: URL) throws {
        let cells = try NotebookDocument(handIn: handIn).cells.filter { $0.kind == .exercise }
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: notebook)) as? [String: Any])
        var pasted = 0
        json["cells"] = (json["cells"] as? [[String: Any]] ?? []).map { cell in
            let id = ((cell["metadata"] as? [String: Any])?["selfsup"] as? [String: Any])?["id"] as? String
            guard let code = cells.first(where: { $0.metadata["id"] == id })?.source else { return cell }
            pasted += 1
            var edited = cell
            edited["source"] = code.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
            return edited
        }
        XCTAssertEqual(pasted, cells.count, "every exercise cell of \(handIn.lastPathComponent) has its cell in the notebook")
        try JSONSerialization.data(withJSONObject: json).write(to: notebook)
    }

    /// The score `grade --json` wrote.
    func score(_ results: URL) throws -> Double {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: results)) as? [String: Any]
        return try XCTUnwrap(json?["score"] as? Double)
    }

    func testAnExportedNotebookIsGradedAsItsLabFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("grade-ipynb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let starter = GradeNotebookCommandTests.exercises.appendingPathComponent("01-backward.lab")
        let solution = GradeNotebookCommandTests.exercises.appendingPathComponent("solutions/01-backward.lab")
        let work = dir.appendingPathComponent("w.ipynb").path
        let results = dir.appendingPathComponent("results.json").path
        try run(["export", starter.path, "--to", "ipynb", "-o", work])

        // Untouched: the starter's todos fail every test (--strict: exit status 1).
        XCTAssertThrowsError(try run(["grade", work, "--json", results, "--strict"])) { error in
            XCTAssertEqual((error as? ExitCode)?.rawValue, 1, "\(error)")
        }
        XCTAssertEqual(try score(URL(fileURLWithPath: results)), 0)

        // The reference solution's cells pasted in: full marks, the .lab solution's score.
        try GradeNotebookCommandTests.paste(solution, into: URL(fileURLWithPath: work))
        try run(["grade", work, "--json", results, "--strict"])
        let notebookScore = try score(URL(fileURLWithPath: results))
        try run(["grade", solution.path, "--json", results, "--strict"])
        XCTAssertEqual(notebookScore, try score(URL(fileURLWithPath: results)))
        XCTAssertGreaterThan(notebookScore, 0)
    }
}
