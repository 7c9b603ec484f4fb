import Foundation
import XCTest
@testable import Notebook

/// A learner's work in an exported exercise notebook, done as a learner does it: the JSON
/// of `selfsup export EXERCISE.lab --to ipynb`, with code pasted into its exercise cells
/// (and, for the tamper tests, its other cells and metadata edited).
struct LearnerNotebook {
    var json: [String: Any]

    /// The notebook `selfsup export` writes for this exercise file.
    init(exported exercise: URL) throws {
        let text = JupyterExport.exerciseNotebook(try NotebookDocument(contentsOf: exercise)).serialized()
        json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    var cells: [[String: Any]] {
        get { json["cells"] as? [[String: Any]] ?? [] }
        set { json["cells"] = newValue }
    }

    /// The `selfsup` metadata of cell `index` (kind, id, points…).
    func selfsup(_ index: Int) -> [String: Any] {
        (cells[index]["metadata"] as? [String: Any])?["selfsup"] as? [String: Any] ?? [:]
    }

    func indices(ofKind kind: CellKind) -> [Int] {
        cells.indices.filter { selfsup($0)["kind"] as? String == kind.rawValue }
    }

    /// Text as Jupyter stores a cell's source: a list of lines.
    static func source(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if let last = lines.last { lines[lines.count - 1] = String(last.dropLast()) }
        return lines.filter { !$0.isEmpty }
    }

    mutating func setSource(_ index: Int, _ text: String) {
        cells[index]["source"] = LearnerNotebook.source(text)
    }

    mutating func setSelfsup(_ index: Int, _ fields: [String: Any]) {
        var metadata = cells[index]["metadata"] as? [String: Any] ?? [:]
        metadata["selfsup"] = fields
        cells[index]["metadata"] = metadata
    }

    /// Pastes the code of each `[exercise]` cell of a `.lab` hand-in into the notebook's
    /// exercise cell of the same id.
    mutating func paste(exerciseCellsOf handIn: URL) throws {
        let document = try NotebookDocument(handIn: handIn)
        for index in indices(ofKind: .exercise) {
            let id = selfsup(index)["id"] as? String
            if let cell = document.cells.first(where: { $0.kind == .exercise && $0.metadata["id"] == id }) {
                setSource(index, cell.source)
            }
        }
    }

    func write(to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(String(decoding: data, as: UTF8.self), to: url)
    }

    /// Every edit a learner could make outside their exercise cells to earn more: each
    /// visible test made to pass and worth 1000 points with a long timeout (and metadata
    /// no marker line could hold), a test cell added, `forbid=` dropped, a hint retyped as
    /// code, a prose cell of an unknown kind, and a code cell after the exercises that
    /// defines the reference solution's functions over the learner's.
    mutating func tamper(reference: URL) throws {
        let solution = try NotebookDocument(handIn: reference).cells.filter { $0.kind == .exercise }
        for index in indices(ofKind: .test) {
            var fields = selfsup(index)
            fields["points"] = "1000"
            fields["timeout"] = "100h"
            fields["odd key"] = "a\nline break"
            setSelfsup(index, fields)
            setSource(index, "expect(true)")
        }
        for index in indices(ofKind: .exercise) {
            var fields = selfsup(index)
            fields["forbid"] = nil
            setSelfsup(index, fields)
        }
        if let hint = indices(ofKind: .hint).first {
            cells[hint]["cell_type"] = "code"
            cells[hint]["outputs"] = [Any]()
        }
        if let prose = cells.indices.first(where: { cells[$0]["cell_type"] as? String == "markdown" }) {
            setSelfsup(prose, ["kind": "answer-key"])
        }
        let last = try XCTUnwrap(indices(ofKind: .exercise).last)
        cells.insert(["cell_type": "code", "metadata": [String: Any](), "outputs": [Any](),
                      "source": LearnerNotebook.source(solution.map(\.source).joined(separator: "\n\n"))],
                     at: last + 1)
        cells.append(["cell_type": "code", "metadata": ["selfsup": ["kind": "test", "points": "lots", "name": "mine"]],
                      "outputs": [Any](), "source": ["expect(true)"]])
    }
}
