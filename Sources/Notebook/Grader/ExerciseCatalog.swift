import Foundation

/// One exercise as `selfsup exercises` lists it.
public struct ExerciseListing: Sendable, Equatable {
    /// The file name without `.lab`, e.g. `02-nt-xent` (the progress key).
    public var key: String
    public var file: URL
    /// The first heading of its prose.
    public var title: String
    /// The lesson it belongs to, from `lesson="…"` on a cell marker (nil if none says).
    public var lesson: String?
    public var points: Int
    public var hintCount: Int
    public var state: ExerciseState
    public var bestScore: Int
    /// The maximum of the best grading (with a teacher's hidden tests it exceeds `points`).
    public var gradedMaxScore: Int
}

/// The exercises of `Lessons/Exercises`, with the learner's progress.
public enum ExerciseCatalog {
    /// Every `*.lab` file directly in `directory` (sorted by name) that is an exercise file.
    /// Files that do not parse are listed with their reason in `problems`.
    public static func list(directory: URL, progress: ExerciseProgress) -> (exercises: [ExerciseListing], problems: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var listings: [ExerciseListing] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".lab") {
            let url = directory.appendingPathComponent(name)
            do {
                let exercise = try ExerciseFile(contentsOf: url)
                let key = ExerciseProgress.key(for: url)
                let entry = progress.entry(for: key)
                let title = Lesson(document: exercise.document).title ?? key
                let lesson = exercise.document.cells.lazy.compactMap { $0.metadata["lesson"] }.first
                listings.append(ExerciseListing(key: key, file: url, title: title, lesson: lesson,
                                                points: exercise.maxPoints, hintCount: exercise.hints.count,
                                                state: entry.state, bestScore: entry.bestScore,
                                                gradedMaxScore: entry.maxScore > 0 ? entry.maxScore : exercise.maxPoints))
            } catch {
                problems.append(error.description)
            }
        }
        return (listings, problems)
    }

    /// A table for the terminal:
    ///
    ///     exercise            lesson                 points  state        best
    ///     01-backward         0. Tensors and …       6       passing      6/6
    public static func table(_ listings: [ExerciseListing]) -> String {
        let header = ["exercise", "title", "lesson", "points", "state", "best"]
        let rows = listings.map { item in
            [item.key, item.title, item.lesson ?? "—", String(item.points), item.state.rawValue,
             item.state == .notStarted ? "—" : "\(item.bestScore)/\(item.gradedMaxScore)"]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        let done = listings.filter { $0.state == .passing }.count
        return line(header) + rows.map(line).joined() + "\n\(done) of \(listings.count) exercises passing\n"
    }
}
