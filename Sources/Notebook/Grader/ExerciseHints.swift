import Foundation
import LabSupport

/// `selfsup hint EXERCISE`: the next hint the learner has not seen, in file order.
public struct HintReply: Sendable, Equatable {
    /// The hint's Markdown, or nil when every hint was already shown.
    public var markdown: String?
    /// 1-based number of the hint shown, and how many there are.
    public var number: Int
    public var total: Int
    /// The exercise it belongs to (the `[exercise] id=` before it).
    public var exerciseID: String?

    /// What to print: "Hint 2 of 3 (exercise similarity): …" or that there are no more.
    public var text: String {
        guard let markdown else {
            return total == 0 ? Messages.text("This exercise has no hints.") + "\n"
                : Messages.text("No more hints: you have seen all {count}. Run `selfsup grade` to see what the tests say.",
                                ["count": String(total)]) + "\n"
        }
        let heading = exerciseID.map {
            Messages.text("Hint {number} of {total} (exercise {id}):", ["number": String(number), "total": String(total), "id": $0])
        } ?? Messages.text("Hint {number} of {total}:", ["number": String(number), "total": String(total)])
        return "\(heading)\n\n\(markdown)\n"
    }
}

public enum ExerciseHints {
    /// Shows the next unseen hint of the exercise in `file` and records it in `store`
    /// (under the file's exercise key, the same for an exercise and its translated twin).
    public static func next(file: URL, store: ProgressStore) throws -> HintReply {
        let exercise = try ExerciseFile(contentsOf: file)
        let key = ExerciseProgress.key(for: file)
        var reply = HintReply(markdown: nil, number: 0, total: exercise.hints.count, exerciseID: nil)
        _ = try store.update { progress in
            var entry = progress.entry(for: key)
            guard let hint = exercise.hint(at: entry.hintsSeen) else { return }
            reply.markdown = hint.source
            reply.number = entry.hintsSeen + 1
            reply.exerciseID = exercise.exercises.first { $0.hints.contains(hint) }?.id
            entry.hintsSeen += 1
            progress.exercises[key] = entry
        }
        return reply
    }
}
