import Foundation

/// Where a learner is with an exercise.
public enum ExerciseState: String, Codable, Sendable, Equatable, CaseIterable {
    /// Never graded.
    case notStarted = "not started"
    /// Graded, not yet full marks.
    case failing
    /// Graded with full marks at least once.
    case passing
}

/// A learner's progress over the exercises: state, best score and hints seen, per
/// exercise (keyed by the exercise's file name without `.lab`, e.g. `02-nt-xent`).
///
/// Stored as a small JSON file, written atomically:
///
///     { "version": 1, "exercises": { "02-nt-xent": { "state": "failing", "best_score": 3,
///       "max_score": 7, "hints_seen": 1, "last_graded": "2026-11-29T06:40:00Z",
///       "working_copy": "/tmp/ssl/02-nt-xent.lab" } } }
public struct ExerciseProgress: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var state: ExerciseState
        public var bestScore: Int
        public var maxScore: Int
        public var hintsSeen: Int
        /// ISO 8601, when the exercise was last graded.
        public var lastGraded: String?
        /// The absolute path of the working copy `selfsup start` wrote (see `ExerciseArgument`).
        public var workingCopy: String?

        public init(state: ExerciseState = .notStarted, bestScore: Int = 0, maxScore: Int = 0,
                    hintsSeen: Int = 0, lastGraded: String? = nil, workingCopy: String? = nil) {
            self.state = state
            self.bestScore = bestScore
            self.maxScore = maxScore
            self.hintsSeen = hintsSeen
            self.lastGraded = lastGraded
            self.workingCopy = workingCopy
        }

        enum CodingKeys: String, CodingKey {
            case state, bestScore = "best_score", maxScore = "max_score", hintsSeen = "hints_seen", lastGraded = "last_graded"
            case workingCopy = "working_copy"
        }
    }

    public var version: Int = 1
    public var exercises: [String: Entry] = [:]

    public init() {}

    /// The progress entry of an exercise (a fresh one if it was never seen).
    public func entry(for key: String) -> Entry { exercises[key] ?? Entry() }

    /// Records a grading: the best score is kept; passing once stays passing.
    public mutating func record(_ report: GradeReport, for key: String, at date: Date = Date()) {
        var entry = self.entry(for: key)
        entry.bestScore = max(entry.bestScore, report.score)
        entry.maxScore = report.maxScore
        entry.state = entry.state == .passing || report.isFullMarks ? .passing : .failing
        entry.lastGraded = ISO8601DateFormatter().string(from: date)
        exercises[key] = entry
    }

    /// The key of an exercise file: its name without `.lab` (`…/02-nt-xent.lab` → `02-nt-xent`).
    public static func key(for file: URL) -> String {
        let name = file.lastPathComponent
        return name.hasSuffix(".lab") ? String(name.dropLast(4)) : name
    }
}

/// A malformed progress file (it is never silently replaced: the learner's record matters).
public struct ProgressFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot use the progress file \(path): \(reason)" }
}

/// Where the progress file lives: `progress.json` in a directory (by default
/// `~/.selfsup`, or `$SELFSUP_HOME` when set).
public struct ProgressStore: Sendable {
    public var url: URL

    public init(directory: URL) {
        url = directory.appendingPathComponent("progress.json")
    }

    /// `$SELFSUP_HOME/progress.json`, else `~/.selfsup/progress.json`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressStore {
        if let home = environment["SELFSUP_HOME"], !home.isEmpty {
            return ProgressStore(directory: URL(fileURLWithPath: home))
        }
        return ProgressStore(directory: FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".selfsup"))
    }

    /// The saved progress; empty when there is no file yet.
    public func load() throws(ProgressFileError) -> ExerciseProgress {
        guard FileManager.default.fileExists(atPath: url.path) else { return ExerciseProgress() }
        do {
            let data = try Data(contentsOf: url)
            return try JSONDecoder().decode(ExerciseProgress.self, from: data)
        } catch {
            throw ProgressFileError(path: url.path, reason: "not a progress file (\(error.localizedDescription)); move it away to start afresh")
        }
    }

    /// Saves atomically, creating the directory if needed.
    public func save(_ progress: ExerciseProgress) throws(ProgressFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(try encoder.encode(progress), to: url)
        } catch {
            throw ProgressFileError(path: url.path, reason: String(describing: error))
        }
    }

    /// Loads, changes and saves.
    public func update(_ change: (inout ExerciseProgress) -> Void) throws(ProgressFileError) -> ExerciseProgress {
        var progress = try load()
        change(&progress)
        try save(progress)
        return progress
    }
}
