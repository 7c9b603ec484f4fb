import Foundation

/// Reads a Jupyter notebook (`.ipynb`, nbformat 4) back into the cells a `.lab` file
/// would give, so `selfsup grade work.ipynb` grades exactly as it grades the `.lab` file.
///
/// A cell's kind and marker metadata come from its `metadata.selfsup` (`kind`, and every
/// other key as `key=value`), which `selfsup export --to ipynb` writes; without it a code
/// cell is `code` and a markdown cell `markdown`; raw cells are skipped. The cells are
/// written in the percent format and parsed by the `.lab` parser, so every check of a
/// `.lab` file (ids, points, names, durations) applies, and line numbers in messages are
/// those of the equivalent `.lab` file. A code cell's first line starting `# %%` (the
/// marker line the exercise export writes for the kernel) is dropped; any other line
/// that would start a new cell (beginning `# %%`) is refused: one notebook cell is
/// always one cell.
///
/// JSON keeps no order of keys, so marker metadata comes back sorted by key (the grader
/// reads it by name).
///
/// The notebook's own `metadata.selfsup` names the exercise it was exported from
/// (`exercise`, else the file name of `source`); it becomes the document's `exerciseKey`,
/// by which the grader finds the official exercise of a notebook hand-in.
enum JupyterNotebookReader {
    private struct File: Decodable {
        var cells: [NotebookCell]
        var nbformat: Int?
        var metadata: NotebookMetadata?
    }

    private struct NotebookMetadata: Decodable {
        var selfsup: Origin?

        enum CodingKeys: String, CodingKey { case selfsup }

        init(from decoder: Decoder) throws {
            let container = try? decoder.container(keyedBy: CodingKeys.self)
            selfsup = (try? container?.decodeIfPresent(Origin.self, forKey: .selfsup)) ?? nil
        }
    }

    /// Read leniently: a value of another type is as if absent (it only helps to find the
    /// official exercise; a notebook without it is refused there, with the reason).
    private struct Origin: Decodable {
        var exercise: String?
        var source: String?

        enum CodingKeys: String, CodingKey { case exercise, source }

        init(from decoder: Decoder) throws {
            let container = try? decoder.container(keyedBy: CodingKeys.self)
            exercise = (try? container?.decodeIfPresent(String.self, forKey: .exercise)) ?? nil
            source = (try? container?.decodeIfPresent(String.self, forKey: .source)) ?? nil
        }
    }

    private struct NotebookCell: Decodable {
        var cellType: String
        var source: Source
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case cellType = "cell_type", source, metadata
        }
    }

    private struct Metadata: Decodable {
        var selfsup: [String: Scalar]?
    }

    /// `source` is a string or a list of lines.
    private struct Source: Decodable {
        var text: String
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                self.text = try container.decode([String].self).joined()
            }
        }
    }

    /// A metadata value: kept as text (numbers as written by JSON).
    private struct Scalar: Decodable {
        var text: String
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self.text = text }
            else if let number = try? container.decode(Int.self) { self.text = String(number) }
            else if let flag = try? container.decode(Bool.self) { self.text = flag ? "true" : "false" }
            else { self.text = String(try container.decode(Double.self)) }
        }
    }

    /// `handIn`: read as a learner's hand-in (`NotebookDocument(handIn:)`): of the cells'
    /// metadata only the exercise cells' ids are kept (the grader uses nothing else of a
    /// hand-in), a cell of an unknown kind is read as a plain cell, and a cell whose
    /// Jupyter type disagrees with its kind is read by its kind (the grader takes only the
    /// exercise cells' text, which is the same either way). The grader says which official
    /// exercise cells it did not find.
    static func document(data: Data, file: String, handIn: Bool = false) throws(NotebookFormatError) -> NotebookDocument {
        let notebook: File
        do { notebook = try JSONDecoder().decode(File.self, from: data) } catch {
            throw NotebookFormatError(file: file, line: 1, reason: .unreadable("not a Jupyter notebook (\(error))"))
        }
        guard (notebook.nbformat ?? 4) == 4 else {
            throw NotebookFormatError(file: file, line: 1,
                                      reason: .unreadable("nbformat \(notebook.nbformat ?? 0) (only 4 is read)"))
        }
        var cells: [Cell] = []
        for (index, item) in notebook.cells.enumerated() {
            var fields = item.metadata?.selfsup ?? [:]
            var kindName = fields.removeValue(forKey: "kind")?.text
            if handIn, let name = kindName, CellKind(rawValue: name) == nil {
                kindName = nil  // not an exercise cell, so one the grader ignores
            }
            let kind: CellKind
            if let kindName {
                guard let named = CellKind(rawValue: kindName) else {
                    throw NotebookFormatError(file: file, line: 1, reason: .unknownCellKind(kindName))
                }
                kind = named
            } else if item.cellType == "markdown" {
                kind = .markdown
            } else if item.cellType == "code" {
                kind = .code
            } else {
                continue
            }
            guard handIn || kind.isProse == (item.cellType == "markdown") else {
                throw NotebookFormatError(file: file, line: 1, reason: .unreadable(
                    "cell \(index + 1) is a \(item.cellType) cell but says it is a \(kind.rawValue) cell"))
            }
            var metadata = CellMetadata(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text) })
            if handIn {
                // The grader takes only the exercise cells' ids from a hand-in; any other
                // metadata, however edited, must not keep it from being read.
                metadata = CellMetadata(kind == .exercise ? metadata.entries.filter { $0.key == "id" } : [])
            }
            let source = trimmingBlankLines(kind.isProse ? item.source.text : droppingMarkerLine(item.source.text))
            cells.append(Cell(kind: kind, metadata: metadata, source: source, markerLine: 0, firstLine: 0))
        }
        let text = PercentFormatWriter.text(of: cells)
        var parsed = try PercentFormatParser(file: file, checksTests: !handIn).parse(text)
        parsed.exerciseKey = exerciseKey(of: notebook.metadata?.selfsup)
        guard parsed.cells.count == cells.count else {
            let split = zip(parsed.cells, cells).enumerated().first { $0.element.0.source != $0.element.1.source }?.offset
                ?? min(parsed.cells.count, cells.count)
            throw NotebookFormatError(file: file, line: parsed.cells.indices.contains(split) ? parsed.cells[split].firstLine : 1,
                                      reason: .unreadable("cell \(split + 1) holds a line starting with '# %%', "
                                                          + "which would start a new cell; remove or indent it"))
        }
        return parsed
    }

    /// The exercise a notebook names: `exercise`, else the file name of `source` (notebooks
    /// exported before `exercise` was written).
    private static func exerciseKey(of origin: Origin?) -> String? {
        if let exercise = origin?.exercise, !exercise.isEmpty { return exercise }
        guard let source = origin?.source, source.hasSuffix(".lab") else { return nil }
        return ExerciseProgress.key(for: URL(fileURLWithPath: source))
    }

    /// The text without blank lines at its start and end (as the `.lab` parser trims cells).
    /// A code cell's text without a first line that starts `# %%`: the marker line the
    /// exercise export writes for the kernel (`JupyterExport.kernelSource`). The cell's
    /// kind and metadata come from the notebook's metadata, never from that line.
    static func droppingMarkerLine(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        guard let first = lines.first, first.hasPrefix("# %%") else { return text }
        return lines.dropFirst().joined(separator: "\n")
    }

    static func trimmingBlankLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
