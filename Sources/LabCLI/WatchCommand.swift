import ArgumentParser
import Display
import Foundation
import LabSupport
import LineEditor
import Notebook

/// One exercise `selfsup watch` follows: its progress key and the file it grades.
struct WatchTarget: Equatable {
    var key: String
    var file: URL
}

/// The logic of `selfsup watch`, one poll at a time, with the file system, the grader and
/// the choice of the next exercise injected (so a test can feed it file states).
///
/// Each `step()` reads the watched file; when its content differs from the last one
/// graded (or on the first step), the file is graded. Full marks (visible and hidden
/// tests: the exercise is passing) moves on to the next exercise, which is graded at
/// the next step; when there is none, the loop is finished.
struct WatchLoop {
    enum Event: Equatable {
        /// The file is as it was when last graded.
        case unchanged
        /// The file does not exist (yet): nothing to grade.
        case missing
        /// Graded; not every test passes (or it could not be graded).
        case graded
        /// Graded with every test passing; now watching `key`.
        case moved(to: String)
        /// Graded with every test passing, and no exercise is left.
        case finished
    }

    private(set) var current: WatchTarget
    /// The content of a file, nil when it cannot be read.
    let poll: (URL) -> Data?
    /// Grades an exercise (printing its report); true when every test passes.
    let grade: (WatchTarget) -> Bool
    /// The exercise to move to after `key` passes (its working copy made if needed), or nil.
    let next: (WatchTarget) -> WatchTarget?
    let write: (String) -> Void
    /// What was last graded (`.none` before the first step).
    private var lastSeen: Data?? = .none

    init(current: WatchTarget, poll: @escaping (URL) -> Data?, grade: @escaping (WatchTarget) -> Bool,
         next: @escaping (WatchTarget) -> WatchTarget?, write: @escaping (String) -> Void) {
        self.current = current
        self.poll = poll
        self.grade = grade
        self.next = next
        self.write = write
    }

    mutating func step() -> Event {
        let state = poll(current.file)
        if case .some(let last) = lastSeen, last == state { return .unchanged }
        lastSeen = .some(state)
        guard state != nil else {
            write(Messages.text("Waiting for {file} to exist (Ctrl-C stops).", ["file": ExerciseArguments.display(current.file)]) + "\n")
            return .missing
        }
        guard grade(current) else {
            write(Messages.text("Watching {file}: save it to grade again (Ctrl-C stops).", ["file": ExerciseArguments.display(current.file)])
                  + "\n")
            return .graded
        }
        write(Messages.text("Every test of {exercise} passes.", ["exercise": current.key]) + "\n")
        guard let following = next(current) else {
            write(Messages.text("Every exercise passes: well done.") + "\n")
            return .finished
        }
        current = following
        lastSeen = .none
        write(Messages.text("Next: {exercise}, in {file}.", ["exercise": following.key, "file": ExerciseArguments.display(following.file)])
              + "\n")
        return .moved(to: following.key)
    }
}

/// `selfsup watch [EXERCISE]`: grades the working copy on every save, and moves on.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Grade your working copy of an exercise on every save; move on when every test passes.",
        discussion: """
            With no EXERCISE, the first exercise that is not yet passing. An exercise with no \
            working copy is started first (as `selfsup start`). The file is read every 0.5 s; \
            when it changed it is graded as `selfsup grade` does (visible and hidden tests) and \
            the score recorded in your progress. When every test passes, the next exercise that \
            is not yet passing is started and watched. Ctrl-C stops (exit status 0).
            """)

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or your exercise file (default: the first not yet passing).")
    var exercise: String?

    func run() throws {
        guard let directory = ExerciseArguments.exercisesDirectory else {
            printError("selfsup watch: " + Messages.text("cannot find Lessons/Exercises (set SELFSUP_ROOT to the project folder)"))
            throw ExitCode.usage
        }
        let first: WatchTarget
        if let exercise {
            let target = try ExerciseArguments.resolve(exercise, command: "watch")
            let official = try ExerciseArguments.official(of: target, argument: exercise, command: "watch")
            first = try WatchCommand.workingTarget(official, given: target)
        } else {
            guard let official = WatchCommand.nextNotPassing(after: nil, in: directory) else {
                print(Messages.text("Every exercise passes: nothing to watch."))
                return
            }
            first = try WatchCommand.workingTarget(official, given: nil)
        }
        var loop = WatchLoop(
            current: first,
            poll: { FileManager.default.contents(atPath: $0.path) },
            grade: { WatchCommand.grade($0, exercises: directory) },
            next: { target in
                guard let official = WatchCommand.nextNotPassing(after: target.key, in: directory) else { return nil }
                return try? WatchCommand.workingTarget(official, given: nil)
            },
            write: { print($0, terminator: ""); fflush(nil) })
        Interrupts.install()
        let interrupts = Interrupts.count
        while Interrupts.count == interrupts {
            if loop.step() == .finished { return }
            // 0.5 s in short sleeps, so Ctrl-C is answered at once.
            for _ in 0..<10 where Interrupts.count == interrupts { usleep(50_000) }
        }
        print("\n" + Messages.text("Stopped watching."))
        fflush(nil)
    }

    /// The file to watch for `official`: the file given when it is the learner's own
    /// working copy (or any file given by path), else the working copy, started if none.
    static func workingTarget(_ official: URL, given: ExerciseTarget?) throws -> WatchTarget {
        let key = ExerciseProgress.key(for: official)
        if let given, given.kind != .starter {
            if !given.isWorkingCopy, let note = ExerciseArguments.notRecordedNote(given) { print(note) }
            return WatchTarget(key: key, file: given.file)
        }
        let progress = (try? ProgressStore.standard().load()) ?? ExerciseProgress()
        if let copy = ExerciseArgument.workingCopy(of: official, workingDirectory: ExerciseArguments.workingDirectory,
                                                   progress: progress) {
            return WatchTarget(key: key, file: copy)
        }
        let destination = ExerciseArgument.startDestination(of: official, path: nil,
                                                            workingDirectory: ExerciseArguments.workingDirectory)
        if try ExerciseArguments.start(official, at: destination) {
            print(Messages.text("Started {exercise}: wrote {file}.", ["exercise": key, "file": ExerciseArguments.display(destination)]))
        }
        return WatchTarget(key: key, file: destination)
    }

    /// The first official exercise after `key` (in file order, wrapping around) whose
    /// progress is not passing; nil when every one passes.
    static func nextNotPassing(after key: String?, in directory: URL) -> URL? {
        let files = ExerciseArgument.officialFiles(in: directory).filter { (try? ExerciseFile(contentsOf: $0)) != nil }
        let progress = (try? ProgressStore.standard().load()) ?? ExerciseProgress()
        let start = key.flatMap { k in files.firstIndex { ExerciseProgress.key(for: $0) == k }.map { $0 + 1 } } ?? 0
        let order = files[start...] + files[..<min(start, files.count)]
        return order.first { url in
            ExerciseProgress.key(for: url) != key && progress.entry(for: ExerciseProgress.key(for: url)).state != .passing
        }
    }

    /// Grades as `selfsup grade` does, recording progress when the file is the learner's
    /// working copy; prints the report. True on full marks.
    static func grade(_ target: WatchTarget, exercises: URL) -> Bool {
        let progress = (try? ProgressStore.standard().load()) ?? ExerciseProgress()
        let resolved = try? ExerciseArgument.resolve(target.file.path, exercisesDirectory: exercises,
                                                     workingDirectory: ExerciseArguments.workingDirectory,
                                                     progress: progress)
        let records = resolved?.isWorkingCopy ?? false
        print("\n── " + Messages.text("grading {file}", ["file": ExerciseArguments.display(target.file)]) + " ──")
        let outcome = Notebook.GradeCommand.run(GradeRequest(
            file: target.file, colour: TerminalCapabilities.detect().colorEnabled,
            progress: records ? ProgressStore.standard() : nil,
            officialFile: resolved?.official, exercisesDirectory: exercises))
        print(outcome.text, terminator: "")
        return outcome.report?.isFullMarks ?? false
    }
}
