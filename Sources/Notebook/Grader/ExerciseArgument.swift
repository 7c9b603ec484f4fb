import Foundation
import LabSupport

/// What an exercise argument of a `selfsup` command (`grade 02`, `hint nt-xent`, …) names.
public struct ExerciseTarget: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An existing file or folder given by its path.
        case path
        /// The learner's working copy of the exercise (`selfsup start` made it).
        case workingCopy
        /// The exercise named by id has no working copy: the official starter stands in.
        case starter
    }

    /// The file to read: the path given, the working copy, or the official starter.
    public var file: URL
    public var kind: Kind
    /// The official exercise file (`Lessons/Exercises/NN-name.lab`), when known: always
    /// for an id; for a path, the exercise its `[exercise]` ids belong to, if any.
    public var official: URL?
    /// Whether `file` is the learner's own working copy of `official` (named by id, or by
    /// its path): only grading that records progress.
    public var isWorkingCopy: Bool

    public init(file: URL, kind: Kind, official: URL?, isWorkingCopy: Bool) {
        self.file = file
        self.kind = kind
        self.official = official
        self.isWorkingCopy = isWorkingCopy
    }

    /// The exercise's progress key (`02-nt-xent`), when the official exercise is known.
    public var key: String? { official.map { ExerciseProgress.key(for: $0) } }
}

public struct ExerciseArgumentError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// How an exercise argument resolves, once for every command:
///
/// 1. an existing file or folder is that file or folder;
/// 2. otherwise the argument names an official exercise of `Lessons/Exercises` by number
///    or name: `02`, `2`, `02-nt-xent`, `nt-xent` (and `02-nt-xent.lab`) all name
///    `02-nt-xent.lab`. It stands for the learner's working copy: `NN-name.lab` in the
///    working directory if there is one, else the file `selfsup start` last wrote for that
///    exercise (recorded in the progress file as `working_copy`) if it still exists, else
///    the official starter.
public enum ExerciseArgument {
    public static func resolve(_ argument: String, exercisesDirectory: URL?, workingDirectory: URL,
                               progress: ExerciseProgress) throws(ExerciseArgumentError) -> ExerciseTarget {
        let given = absolute(argument, in: workingDirectory)
        if FileManager.default.fileExists(atPath: given.path) {
            var target = ExerciseTarget(file: given, kind: .path, official: nil, isWorkingCopy: false)
            if let directory = exercisesDirectory, let handIn = try? NotebookDocument(handIn: given),
               let official = try? OfficialExercise.find(for: handIn, in: directory) {
                target.official = official
                target.isWorkingCopy = workingCopy(of: official, workingDirectory: workingDirectory, progress: progress)
                    .map { sameFile($0, given) } ?? false
            }
            return target
        }
        guard let directory = exercisesDirectory else {
            throw ExerciseArgumentError(description: Messages.text("no file '{argument}', and the exercises folder is not known (set SELFSUP_ROOT to the project folder) to look it up as an exercise",
                                                                   ["argument": argument]))
        }
        guard let official = official(named: argument, in: directory) else {
            let keys = officialFiles(in: directory).map { ExerciseProgress.key(for: $0) }
            throw ExerciseArgumentError(description: keys.isEmpty
                ? Messages.text("no file or exercise '{argument}' (exercises: none)", ["argument": argument])
                : Messages.text("no file or exercise '{argument}' (exercises: {keys})",
                                ["argument": argument, "keys": keys.joined(separator: ", ")]))
        }
        if let copy = workingCopy(of: official, workingDirectory: workingDirectory, progress: progress) {
            return ExerciseTarget(file: copy, kind: .workingCopy, official: official, isWorkingCopy: true)
        }
        return ExerciseTarget(file: official, kind: .starter, official: official, isWorkingCopy: false)
    }

    /// The official exercise files of `directory` (`*.lab` directly in it), sorted by name.
    public static func officialFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(".lab") }.map { directory.appendingPathComponent($0) }
    }

    /// The official exercise a number or name stands for: `2`, `02`, `02-nt-xent`,
    /// `nt-xent`, `02-nt-xent.lab`. Nil when none, or when a bare name is ambiguous.
    public static func official(named query: String, in directory: URL) -> URL? {
        let files = officialFiles(in: directory)
        let numbered = files.map { url -> (url: URL, number: Int?, name: String) in
            let (number, name) = Lesson.numberAndName(fromFileName: url.lastPathComponent)
            return (url, number, name)
        }
        if query.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(query) {
            let found = numbered.filter { $0.number == n }
            return found.count == 1 ? found[0].url : nil
        }
        let (number, name) = Lesson.numberAndName(fromFileName: query.hasSuffix(".lab") ? query : query + ".lab")
        let found = numbered.filter { $0.name == name && (number == nil || $0.number == number) }
        return found.count == 1 ? found[0].url : nil
    }

    /// Where the learner's working copy of `official` is (nil when there is none):
    /// `NN-name.lab` in the working directory, else the recorded `working_copy`.
    public static func workingCopy(of official: URL, workingDirectory: URL, progress: ExerciseProgress) -> URL? {
        let local = workingDirectory.appendingPathComponent(official.lastPathComponent).standardizedFileURL
        if isRegularFile(local) && !sameFile(local, official) { return local }
        if let recorded = progress.entry(for: ExerciseProgress.key(for: official)).workingCopy {
            let url = URL(fileURLWithPath: recorded).standardizedFileURL
            if isRegularFile(url) && !sameFile(url, official) { return url }
        }
        return nil
    }

    /// Where `selfsup start` writes a fresh working copy: `path` if given (a folder gets
    /// `NN-name.lab` inside it), else `NN-name.lab` in the working directory.
    public static func startDestination(of official: URL, path: String?, workingDirectory: URL) -> URL {
        guard let path else { return workingDirectory.appendingPathComponent(official.lastPathComponent) }
        let url = absolute(path, in: workingDirectory)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.appendingPathComponent(official.lastPathComponent)
        }
        return url
    }

    /// Whether a document has `[exercise]` cells (it is an exercise or a hand-in of one).
    /// Text that does not parse as a notebook is no exercise.
    public static func isExercise(text: String, file: String) -> Bool {
        guard text.contains("[exercise]"),
              let document = try? NotebookDocument(handInText: text, file: file) else { return false }
        return document.cells.contains { $0.kind == .exercise }
    }

    /// A path given on the command line, relative to `workingDirectory` unless absolute.
    static func absolute(_ path: String, in workingDirectory: URL) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : workingDirectory.appendingPathComponent(path)
        return url.standardizedFileURL
    }

    static func isRegularFile(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func sameFile(_ a: URL, _ b: URL) -> Bool {
        a.resolvingSymlinksInPath().standardizedFileURL.path == b.resolvingSymlinksInPath().standardizedFileURL.path
    }
}
