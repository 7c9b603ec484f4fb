import ArgumentParser
import Foundation
import LabSupport
import Notebook

/// The exercise argument of every command that takes one (`grade`, `hint`, `start`, …),
/// resolved by `ExerciseArgument.resolve` against this install's `Lessons/Exercises`, the
/// working directory and the learner's progress file.
enum ExerciseArguments {
    static var exercisesDirectory: URL? { ProjectPaths.exercises.map { URL(fileURLWithPath: $0) } }
    static var workingDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// Resolves `argument`; a usage error (exit 2) with the reason when it names nothing.
    static func resolve(_ argument: String, command: String) throws -> ExerciseTarget {
        let progress: ExerciseProgress
        do { progress = try ProgressStore.standard().load() } catch {
            printError(Messages.text("selfsup {command}: {error}", ["command": command, "error": error.description]))
            throw ExitCode.usage
        }
        let target: ExerciseTarget
        do {
            target = try ExerciseArgument.resolve(argument, exercisesDirectory: exercisesDirectory,
                                                  workingDirectory: workingDirectory, progress: progress)
        } catch {
            printError(Messages.text("selfsup {command}: {error}", ["command": command, "error": error.description]))
            throw ExitCode.usage
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            printError(Messages.text("selfsup {command}: {argument} is a folder: name an exercise file, or an exercise by number or name (02, nt-xent)",
                                     ["command": command, "argument": argument]))
            throw ExitCode.usage
        }
        return target
    }

    /// The official exercise an argument names, or a usage error saying it names none.
    static func official(of target: ExerciseTarget, argument: String, command: String) throws -> URL {
        guard let official = target.official else {
            printError(Messages.text("selfsup {command}: {file} is no exercise of Lessons/Exercises (name one by number or name: `selfsup exercises` lists them)",
                                     ["command": command, "file": target.file.path]))
            throw ExitCode.usage
        }
        return official
    }

    /// The short name commands are shown with: the exercise's number (`02`), else its key.
    static func shortName(_ key: String) -> String {
        let digits = key.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? key : String(digits)
    }

    /// A path as the learner should type it: relative to the working directory when inside it.
    static func display(_ url: URL) -> String {
        let base = workingDirectory.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? "./" + path.dropFirst(base.count + 1) : path
    }

    /// Why a plain `grade` did not go into the progress file (nil when there is nothing to say).
    static func notRecordedNote(_ target: ExerciseTarget) -> String? {
        guard let key = target.key, !target.isWorkingCopy else { return nil }
        let name = shortName(key)
        switch target.kind {
        case .starter:
            return Messages.text("You have no working copy of {key}, so this graded the official starter and nothing was recorded: `selfsup start {name}` makes your copy.",
                                 ["key": key, "name": name])
        case .path, .workingCopy:
            return Messages.text("Not recorded in your progress: {file} is not your working copy of {key} (`selfsup start {name}` makes one; `selfsup grade {name}` grades it).",
                                 ["file": display(target.file), "key": key, "name": name])
        }
    }

    /// Writes a fresh copy of the starter `official` to `destination` (atomically) and
    /// records it as the learner's working copy. Returns false, writing nothing, when
    /// `destination` already exists: the learner's work is never overwritten.
    static func start(_ official: URL, at destination: URL) throws -> Bool {
        if FileManager.default.fileExists(atPath: destination.path) { return false }
        do {
            try AtomicFile.write(try Data(contentsOf: official), to: destination)
        } catch let error as FileWriteError {
            printError("selfsup start: \(error.description)")
            throw ExitCode.usage
        } catch {
            printError(Messages.text("selfsup start: cannot read {file}: {reason}", ["file": official.path, "reason": error.localizedDescription]))
            throw ExitCode.usage
        }
        do {
            _ = try ProgressStore.standard().update { progress in
                let key = ExerciseProgress.key(for: official)
                var entry = progress.entry(for: key)
                entry.workingCopy = destination.standardizedFileURL.path
                progress.exercises[key] = entry
            }
        } catch {
            printError(Messages.text("warning: {message}", ["message": error.description]))
        }
        return true
    }
}

/// `selfsup start EXERCISE [PATH]`: a fresh copy of an exercise's starter to work in.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Copy an exercise's starter into the working directory (or PATH) to work on.",
        discussion: """
            Writes NN-name.lab in the working directory, or at PATH (a folder gets NN-name.lab \
            inside it), and records where in your progress file, so that `selfsup grade 02`, \
            `hint 02`, `watch 02` and `reset 02` find it from anywhere (NN-name.lab in the \
            working directory comes first). An existing file is never overwritten: \
            `selfsup reset 02` starts over, keeping a backup.
            """)

    @ArgumentParser.Argument(help: "The exercise's number or name: 02, 2, 02-nt-xent or nt-xent.")
    var exercise: String

    @ArgumentParser.Argument(help: "Where to write the working copy (default: ./NN-name.lab).")
    var path: String?

    func run() throws {
        let target = try ExerciseArguments.resolve(exercise, command: "start")
        let official = try ExerciseArguments.official(of: target, argument: exercise, command: "start")
        let key = ExerciseProgress.key(for: official)
        let name = ExerciseArguments.shortName(key)
        let destination = ExerciseArgument.startDestination(of: official, path: path,
                                                            workingDirectory: ExerciseArguments.workingDirectory)
        let shown = ExerciseArguments.display(destination)
        // In another language the learner gets the hand-out's translated twin (same ids, same code).
        let handOut = LessonTranslation.inLanguage(official, Messages.language)
        guard try ExerciseArguments.start(handOut, at: destination) else {
            print(Messages.text("{file} already exists: your work is kept, nothing was written. `selfsup grade {name}` grades it; `selfsup reset {name}` starts over (keeping a backup).", ["file": shown, "name": name]))
            return
        }
        let title = (try? ExerciseFile(contentsOf: handOut)).flatMap { Lesson(document: $0.document).title } ?? key
        print(Messages.text("wrote {file}: {title}", ["file": shown, "title": title]))
        print(Messages.text("Fill in every todo(...), then `selfsup grade {name}` (or `selfsup watch {name}` to grade on every save); `selfsup hint {name}` gives a hint.", ["name": name]))
    }
}

/// `selfsup reset EXERCISE [--yes]`: the working copy back to the starter, with a backup.
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Replace your working copy of an exercise with a fresh starter, keeping a backup.",
        discussion: """
            Asks for confirmation on a terminal (y/N); --yes skips it. Without a terminal and \
            without --yes it refuses (exit status 2). Your file is first copied to \
            FILE.bak-YYYYMMDD-HHMMSS beside it (-2, -3, … when that exists).
            """)

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or your exercise file.")
    var exercise: String

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        let target = try ExerciseArguments.resolve(exercise, command: "reset")
        let official = try ExerciseArguments.official(of: target, argument: exercise, command: "reset")
        let name = ExerciseArguments.shortName(ExerciseProgress.key(for: official))
        guard target.kind != .starter else {
            printError(Messages.text("selfsup reset: you have no working copy of {exercise} to reset: `selfsup start {name}` makes one",
                                     ["exercise": ExerciseProgress.key(for: official), "name": name]))
            throw ExitCode.usage
        }
        let file = target.file
        if file.resolvingSymlinksInPath().path == official.resolvingSymlinksInPath().path {
            printError(Messages.text("selfsup reset: {file} is the official exercise itself, not a working copy", ["file": file.path]))
            throw ExitCode.usage
        }
        let shown = ExerciseArguments.display(file)
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                printError(Messages.text("selfsup reset: no terminal to confirm on: add --yes to replace {file} with the starter (a backup is kept)",
                                         ["file": shown]))
                throw ExitCode.usage
            }
            FileHandle.standardOutput.write(Data((Messages.text("Replace {file} with a fresh starter? Your file is kept as a backup. [y/N]", ["file": shown]) + " ").utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print(Messages.text("Nothing changed."))
                return
            }
        }
        do {
            let backup = ResetCommand.backupURL(for: file, at: Date())
            try AtomicFile.write(try Data(contentsOf: file), to: backup)
            try AtomicFile.write(try Data(contentsOf: LessonTranslation.inLanguage(official, Messages.language)), to: file)
            print(Messages.text("Your file is kept as {backup}; {file} is a fresh starter.",
                                ["backup": ExerciseArguments.display(backup), "file": shown]))
        } catch let error as FileWriteError {
            printError("selfsup reset: \(error.description)")
            throw ExitCode.usage
        } catch {
            printError("selfsup reset: \(error.localizedDescription)")
            throw ExitCode.usage
        }
    }

    /// `FILE.bak-YYYYMMDD-HHMMSS` (UTC) beside `file`, with `-2`, `-3`, … when taken.
    static func backupURL(for file: URL, at date: Date) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let base = file.path + ".bak-" + formatter.string(from: date)
        var candidate = base
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = base + "-\(n)"
            n += 1
        }
        return URL(fileURLWithPath: candidate)
    }
}
