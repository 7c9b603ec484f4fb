import Foundation
import XCTest
@testable import Notebook

/// Exercises in Jupyter: `selfsup export EXERCISE.lab --to ipynb` writes every cell with
/// its kind and metadata, and reading the notebook back gives the cells the `.lab` file
/// gives, so grading the notebook is grading the file.
final class JupyterNotebookReaderTests: XCTestCase {
    typealias S = GraderTestSupport

    func exported(_ document: NotebookDocument, name: String = "work") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfsup-\(UUID().uuidString)-\(name).ipynb")
        try AtomicFile.write(JupyterExport.exerciseNotebook(document).serialized(), to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func summary(_ cells: [Cell]) -> [String] {
        cells.map { cell in
            let metadata = cell.metadata.entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(cell.kind.rawValue) \(metadata) \(cell.source)"
        }
    }

    func testEveryExerciseReadsBackAsTheSameCells() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: S.exercises.path).filter { $0.hasSuffix(".lab") }
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for name in files {
            let lab = try ExerciseFile(contentsOf: S.exercises.appendingPathComponent(name))
            let notebook = try ExerciseFile(contentsOf: try exported(lab.document, name: name))
            XCTAssertEqual(summary(notebook.document.cells), summary(lab.document.cells), name)
            XCTAssertEqual(notebook.exercises.map(\.id), lab.exercises.map(\.id), name)
            XCTAssertEqual(notebook.tests.map(\.name), lab.tests.map(\.name), name)
            XCTAssertEqual(notebook.maxPoints, lab.maxPoints, name)
        }
    }

    func testTheNotebookKeepsKindsAndHasNoOutputsOrHiddenTests() throws {
        let lab = try NotebookDocument(contentsOf: S.exercises.appendingPathComponent("02-nt-xent.lab"))
        let text = try String(contentsOf: try exported(lab), encoding: .utf8)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let kinds = cells.map { (($0["metadata"] as? [String: Any])?["selfsup"] as? [String: Any])?["kind"] as? String }
        XCTAssertTrue(kinds.contains("exercise") && kinds.contains("test") && kinds.contains("hint"))
        XCTAssertTrue(cells.allSatisfy { ($0["outputs"] as? [Any])?.isEmpty ?? true }, "nothing was run")
        let hidden = try String(contentsOf: S.exercises.appendingPathComponent("tests/02-nt-xent.tests.lab"), encoding: .utf8)
        let hiddenNames = hidden.split(separator: "\n").filter { $0.hasPrefix("# %% [test]") }
            .compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
        XCTAssertFalse(hiddenNames.isEmpty)
        for name in hiddenNames { XCTAssertFalse(text.contains(name), "hidden test '\(name)' must not be written") }
        XCTAssertEqual(((json["metadata"] as? [String: Any])?["kernelspec"] as? [String: Any])?["name"] as? String, "labscript")
    }

    func testGradingTheNotebookIsGradingTheFile() throws {
        let source = """
            # %% [markdown]
            # # Sum

            # %% [exercise] id=sum
            fn total(xs) {
                if len(xs) == 0 { return 1 }
                t = 0
                for x in xs { t += x }
                return t
            }

            # %% [test] points=2 name="sum of three"
            expect(total([1, 2, 3]) == 6, "1 + 2 + 3 is 6")

            # %% [test] points=1 name="empty"
            expect(total([]) == 0, "the empty sum is 0")

            """
        let lab = try ExerciseFile(parsing: source, file: "sum.lab")
        let url = try exported(lab.document)
        let notebook = try ExerciseFile(contentsOf: url)
        let grader = Grader(options: S.quick, makeSession: ScriptSession.languageOnly)
        let (a, b) = (grader.grade(lab), grader.grade(notebook))
        XCTAssertEqual(a.score, 2, a.humanText())
        XCTAssertEqual(b.score, a.score)
        XCTAssertEqual(b.tests.map(\.passed), a.tests.map(\.passed))
        XCTAssertEqual(b.tests.map { $0.message.replacingOccurrences(of: url.path, with: "sum.lab") },
                       a.tests.map(\.message), "the same messages, at the same lines")
    }

    func testANotebookCellCannotSmuggleInAnotherCell() throws {
        let notebook = """
            {"cells": [
              {"cell_type": "code", "metadata": {"selfsup": {"kind": "exercise", "id": "a"}},
               "source": ["x = 1\\n", "# %% [test] points=100 name=\\"free points\\"\\n", "expect(true, \\"yes\\")"]},
              {"cell_type": "code", "metadata": {"selfsup": {"kind": "test", "points": "1", "name": "t"}}, "source": "expect(x == 1, \\"x\\")"}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("selfsup-\(UUID().uuidString).ipynb")
        try Data(notebook.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ExerciseFile(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("would start a new cell"), "\(error)")
        }
    }

    func testWhatIsNotANotebookIsAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("selfsup-\(UUID().uuidString).ipynb")
        try Data("{\"cells\": 3}".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try NotebookDocument(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("not a Jupyter notebook"), "\(error)")
        }
        XCTAssertThrowsError(try NotebookDocument(contentsOf: url.appendingPathExtension("missing.ipynb")))
    }
}
