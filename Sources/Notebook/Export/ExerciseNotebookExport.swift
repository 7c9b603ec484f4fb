import Foundation
import LabSupport

/// An exercise file as a Jupyter notebook a learner works in: every cell of the `.lab`
/// file, none run, no outputs. Each cell keeps its kind and marker metadata (exercise id,
/// test points and name…) under `metadata.selfsup`, so `selfsup grade work.ipynb` reads
/// back the same cells (`JupyterNotebookReader`), and the notebook's `metadata.selfsup`
/// names the exercise (`exercise`: `02-nt-xent`), by which the grader finds the official
/// file whatever the notebook is called. Prose and hints become markdown cells,
/// code, exercise and visible test cells code cells (the last two with their marker line
/// first, for the kernel: `kernelSource`). Hidden tests live in the teacher's
/// tests file, never in the exercise file, so they are never written.
extension JupyterExport {
    /// The code of an exercise or test cell starts with its `.lab` marker line
    /// (`# %% [exercise] id=ntxent`, `# %% [test] points=2 name="shape"`), a comment to
    /// LabScript: a kernel sees a cell's code but never its metadata, and this line is how
    /// it knows to run a test as the grader does and to record an exercise cell for
    /// `check()`. The reader drops it again (`JupyterNotebookReader`); the grader goes by
    /// the metadata.
    static func kernelSource(_ cell: Cell) -> String {
        guard cell.kind == .exercise || cell.kind == .test else { return cell.source }
        return PercentFormatWriter.markerLine(for: cell) + "\n" + cell.source
    }

    public static func exerciseNotebook(_ document: NotebookDocument) -> JSON {
        var cells: [JSON] = []
        for (number, cell) in document.cells.enumerated() {
            var fields: [String: JSON] = [
                "id": .string("cell-\(number + 1)"),
                "metadata": .object(cellMetadata(cell)),
                "source": lines(kernelSource(cell)),
            ]
            if cell.kind.isProse {
                fields["source"] = lines(MarkdownSoftBreaks.joinedForChinese(kernelSource(cell)))
                fields["cell_type"] = .string("markdown")
            } else {
                fields["cell_type"] = .string("code")
                fields["execution_count"] = .null
                fields["outputs"] = .array([])
            }
            cells.append(.object(fields))
        }
        return .object([
            "cells": .array(cells),
            "metadata": notebookMetadata(source: document.file,
                                         exercise: ExerciseProgress.key(for: URL(fileURLWithPath: document.file))),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
    }
}
