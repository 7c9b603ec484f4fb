import Foundation

/// A learner hands in their copy of an exercise file, and could have edited anything in
/// it: its tests, their points and timeouts, its code cells, the `forbid=` of its
/// exercise cells. So a hand-in is graded against the official exercise file: from the
/// hand-in only the source of each `[exercise]` cell is taken (matched by `id=`); every
/// other cell, every cell's metadata and every test come from the official file. An
/// official exercise cell the hand-in lacks keeps its starter code (its `todo` fails).
extension ExerciseFile {
    public static func handIn(_ learner: NotebookDocument,
                              official: ExerciseFile) throws(NotebookFormatError) -> ExerciseFile {
        var byID: [String: Cell] = [:]
        for cell in learner.cells where cell.kind == .exercise {
            if let id = cell.metadata["id"], byID[id] == nil { byID[id] = cell }
        }
        let cells = official.document.cells.map { cell -> Cell in
            guard cell.kind == .exercise, let id = cell.metadata["id"], let mine = byID[id] else { return cell }
            var taken = mine
            taken.metadata = cell.metadata
            return taken
        }
        var exercise = try ExerciseFile(document: NotebookDocument(file: learner.file, cells: cells, text: learner.text))
        exercise.tests = official.tests
        exercise.setupFile = official.document.file
        return exercise
    }
}

/// Finds the official exercise a hand-in belongs to, in a folder of exercise files
/// (`Lessons/Exercises`), by the ids of its `[exercise]` cells and the exercise it names:
/// a notebook's `metadata.selfsup.exercise` (`NotebookDocument.exerciseKey`), else the
/// hand-in's file name.
public enum OfficialExercise {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// The official file whose exercise ids are exactly the hand-in's; failing that, the
    /// one the hand-in names (`02-nt-xent.lab` for `02-nt-xent`) whose ids include all of
    /// the hand-in's. Anything else (no match, or several) is refused: the teacher names the
    /// official file then.
    public static func find(for handIn: NotebookDocument, in directory: URL) throws(NotFound) -> URL {
        let ids = Set(handIn.cells.filter { $0.kind == .exercise }.compactMap { $0.metadata["id"] })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var exact: [URL] = [], byName: [URL] = []
        let handInKey = handIn.exerciseKey ?? ExerciseProgress.key(for: URL(fileURLWithPath: handIn.file))
        for name in names.sorted() where name.hasSuffix(".lab") {
            let url = directory.appendingPathComponent(name)
            guard let official = try? ExerciseFile(contentsOf: url) else { continue }
            let officialIDs = Set(official.exercises.map(\.id))
            if !ids.isEmpty && officialIDs == ids { exact.append(url) }
            if ExerciseProgress.key(for: url) == handInKey && !ids.isEmpty && ids.isSubset(of: officialIDs) {
                byName.append(url)
            }
        }
        let idList = ids.sorted().joined(separator: ", ")
        let advice = "give the official exercise file with --official PATH"
        if exact.count == 1 { return exact[0] }
        if exact.isEmpty && byName.count == 1 { return byName[0] }
        if exact.count > 1 {
            throw NotFound(description: "the exercise ids (\(idList)) match several exercises in \(directory.path): "
                + exact.map(\.lastPathComponent).joined(separator: ", ") + "; " + advice)
        }
        if ids.isEmpty && handIn.file.lowercased().hasSuffix(".ipynb") {
            throw NotFound(description: "\(handIn.file) has no [exercise] cells (a notebook's exercise cells carry "
                + "\"selfsup\": {\"kind\": \"exercise\", \"id\": …} in their metadata, as `selfsup export "
                + "EXERCISE.lab --to ipynb` writes them: work in that notebook, or copy your code into it); \(advice)")
        }
        if ids.isEmpty {
            throw NotFound(description: "\(handIn.file) has no [exercise] cells, so it is no exercise of \(directory.path); \(advice)")
        }
        throw NotFound(description: "the exercise ids (\(idList)) of \(handIn.file) match no exercise in \(directory.path); \(advice)")
    }

    /// The teacher's hidden tests of an official exercise file, if its folder has them:
    /// `tests/NN-name.tests.lab` next to `NN-name.lab`.
    public static func hiddenTests(of official: URL) -> URL? {
        let key = ExerciseProgress.key(for: official)
        let url = official.deletingLastPathComponent().appendingPathComponent("tests/\(key).tests.lab")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
