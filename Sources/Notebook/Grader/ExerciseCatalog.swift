import Display
import Foundation
import LabSupport

/// One exercise as `selfsup exercises` lists it.
public struct ExerciseListing: Sendable, Equatable {
    /// The file name without `.lab`, e.g. `02-nt-xent` (the progress key).
    public var key: String
    public var file: URL
    /// The first heading of its prose.
    public var title: String
    /// The number of the lesson it belongs to, from `lesson=N` on a cell marker (nil if
    /// none says).
    public var lesson: Int?
    /// That lesson's title, as the lesson file's heading gives it.
    public var lessonTitle: String?
    /// The points `selfsup grade` scores it out of: its visible tests and the teacher's
    /// hidden ones (`tests/NN-name.tests.lab`) when the folder has them.
    public var points: Int
    public var hintCount: Int
    public var state: ExerciseState
    public var bestScore: Int
    /// The maximum of the best grading.
    public var gradedMaxScore: Int
}

/// The exercises of `Lessons/Exercises`, with the learner's progress.
public enum ExerciseCatalog {
    /// Every `*.lab` file directly in `directory` (sorted by name) that is an exercise file.
    /// Files that do not parse, or whose `lesson=` is not the number of a lesson in the
    /// lessons folder above `directory`, are listed with their reason in `problems`.
    public static func list(directory: URL, progress: ExerciseProgress) -> (exercises: [ExerciseListing], problems: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let lessons = (try? LessonCatalog(directory: directory.deletingLastPathComponent())) ?? LessonCatalog(lessons: [])
        let lessonNumbers = Set(lessons.lessons.compactMap(\.number)), lessonTitles = lessons.titles
        var listings: [ExerciseListing] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".lab") {
            let url = directory.appendingPathComponent(name)
            do {
                var exercise = try ExerciseFile(contentsOf: url)
                if let hidden = OfficialExercise.hiddenTests(of: url) {
                    exercise = try exercise.merging(hiddenTests: try NotebookDocument(contentsOf: hidden))
                }
                let key = ExerciseProgress.key(for: url)
                let entry = progress.entry(for: key)
                // Titles in the chosen language: the twin's heading when there is a twin.
                let translated = LessonTranslation.inLanguage(url, Messages.language)
                let title = (translated == url ? nil : (try? Lesson(contentsOf: translated))?.title)
                    ?? Lesson(document: exercise.document).title ?? key
                let lessonText = exercise.document.cells.lazy.compactMap { $0.metadata["lesson"] }.first
                let lesson = lessonText.flatMap { Int($0) }
                if let lessonText, !lessonNumbers.contains(lesson ?? -1) {
                    problems.append("\(url.path): lesson=\(lessonText) is not the number of a lesson in Lessons/")
                }
                let lessonTitle = lesson.flatMap { number in
                    lessons.lessons.first { $0.number == number }
                        .flatMap { try? LessonTranslation.twin(of: $0, in: Messages.language) }?.title ?? lessonTitles[number]
                }
                listings.append(ExerciseListing(key: key, file: url, title: title, lesson: lesson, lessonTitle: lessonTitle,
                                                points: exercise.maxPoints, hintCount: exercise.hints.count,
                                                state: entry.state, bestScore: entry.bestScore,
                                                gradedMaxScore: entry.maxScore > 0 ? entry.maxScore : exercise.maxPoints))
            } catch {
                problems.append(error.description)
            }
        }
        return (listings, problems)
    }

    /// A table for the terminal, grouped by lesson, at most `width` columns wide (titles
    /// are cut, measured in display columns), in the language of `Messages`:
    ///
    ///     4. Contrastive learning as …
    ///       02-nt-xent       2. NT-Xent from primitives           11  passing      11/11
    public static func table(_ listings: [ExerciseListing], width: Int = 80) -> String {
        let words = [Messages.text("exercise"), Messages.text("title"), Messages.text("points"),
                     Messages.text("state"), Messages.text("best")]
        let stateText = { (state: ExerciseState) -> String in
            switch state {
            case .notStarted: return Messages.text("not started")
            case .failing: return Messages.text("failing")
            case .passing: return Messages.text("passing")
            }
        }
        let keyWidth = max(words[0].displayWidth, listings.map(\.key.displayWidth).max() ?? 0)
        let states = max(words[3].displayWidth, ExerciseState.allCases.map { stateText($0).displayWidth }.max() ?? 0)
        let pointsWidth = max(words[2].displayWidth, listings.map { String($0.points).count }.max() ?? 0)
        // "  key  title  points  state  best", best as "NN/NN".
        let fixed = 2 + keyWidth + 2 + 2 + pointsWidth + 2 + states + 2 + max(5, words[4].displayWidth)
        let titleWidth = max(10, width - fixed)
        func fit(_ text: String, _ columns: Int) -> String {
            let cut = text.displayWidth > columns ? text.prefix(displayWidth: columns - 1) + "…" : text
            return cut + cut.padding(toDisplayWidth: columns)
        }
        func right(_ text: String, _ columns: Int) -> String { text.padding(toDisplayWidth: columns) + text }
        var out = ("  " + fit(words[0], keyWidth) + "  " + fit(words[1], titleWidth) + "  "
                          + right(words[2], pointsWidth) + "  " + fit(words[3], states) + "  " + words[4]).trimmingTrailingSpaces() + "\n"
        var lastLesson: Int?? = .none
        for item in listings.sorted(by: { ($0.lesson ?? .max, $0.key) < ($1.lesson ?? .max, $1.key) }) {
            if lastLesson != .some(item.lesson) {
                let heading = item.lesson.map { n in item.lessonTitle ?? Messages.text("Lesson {number}", ["number": String(n)]) }
                    ?? Messages.text("No lesson")
                out += heading.prefix(displayWidth: width) + "\n"
                lastLesson = .some(item.lesson)
            }
            let best = item.state == .notStarted ? "—" : "\(item.bestScore)/\(item.gradedMaxScore)"
            out += ("  " + fit(item.key, keyWidth) + "  " + fit(item.title, titleWidth) + "  "
                    + right(String(item.points), pointsWidth) + "  " + fit(stateText(item.state), states)
                    + "  " + best).trimmingTrailingSpaces() + "\n"
        }
        let done = listings.filter { $0.state == .passing }.count
        return out + "\n" + Messages.text("{done} of {count} exercises passing",
                                         ["done": String(done), "count": String(listings.count)]) + "\n"
    }
}
