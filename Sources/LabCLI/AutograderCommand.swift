import ArgumentParser
import Foundation
import LabSupport
import Notebook
import ZIPFoundation

/// `selfsup autograder EXERCISE -o autograder.zip`: a Gradescope autograder for one exercise.
struct AutograderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autograder",
        abstract: "Write a Gradescope autograder (.zip) that grades one exercise.",
        discussion: """
            EXERCISE is an exercise's number or name (02, nt-xent) or its file, resolved as for \
            `selfsup grade`. The zip holds setup.sh (installs OpenBLAS, libedit, ZeroMQ and \
            Swift 6.3.1 on Gradescope's Ubuntu 22.04 base image and builds selfsup from the \
            lab's source, which the zip carries), run_autograder (grades the one .lab or .ipynb \
            of /autograder/submission against the official exercise and its hidden tests, and \
            always writes /autograder/results/results.json: score 0 with the reason when there \
            is no hand-in, several, an unreadable one, or the grader fails), the official \
            exercise and the source. Exit status 0 when written, 2 on bad usage.
            """)

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or an exercise file.")
    var exercise: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the zip (e.g. autograder.zip).")
    var output: String?

    func run() throws {
        guard let output, !output.isEmpty else {
            printError("selfsup autograder: " + Messages.text("say where to write the zip: selfsup autograder {exercise} -o autograder.zip", ["exercise": exercise]))
            throw ExitCode.usage
        }
        let target = try ExerciseArguments.resolve(exercise, command: "autograder")
        let official = try ExerciseArguments.official(of: target, argument: exercise, command: "autograder")
        guard let root = ProjectPaths.lessons.map({ URL(fileURLWithPath: $0).deletingLastPathComponent() }),
              FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            printError("selfsup autograder: " + Messages.text("cannot find the lab's source (Package.swift beside Lessons), which the zip carries: run this in the project folder or set SELFSUP_ROOT to it"))
            throw ExitCode.usage
        }
        let destination = URL(fileURLWithPath: output)
        let autograder: Autograder
        do {
            autograder = try Autograder(official: official, sourceRoot: root)
            try AtomicFile.write(try autograder.zip(), to: destination)
        } catch {
            printError("selfsup autograder: \(error)")
            throw ExitCode.usage
        }
        print(Messages.text("wrote {path}: a Gradescope autograder for {exercise}, {points} points in {tests} tests ({hidden} hidden)",
                            ["path": ExerciseArguments.display(destination), "exercise": autograder.key,
                             "points": String(autograder.points), "tests": String(autograder.testCount),
                             "hidden": String(autograder.hiddenCount)]))
        print(Messages.text("On Gradescope: a programming assignment, Configure Autograder, base image Ubuntu 22.04; upload the zip, and set the autograder timeout above {seconds} seconds (run_autograder stops grading then).",
                            ["seconds": String(autograder.timeLimit)]))
    }
}

/// The contents of an autograder zip for one official exercise, and the zip itself
/// (written with ZIPFoundation, in memory):
///
///     setup.sh, run_autograder         (mode 755: the zip's external attributes)
///     exercise/NN-name.lab             the official exercise
///     exercise/tests/NN-name.tests.lab its hidden tests, when it has some
///     lab/…                            the lab's source: Package.swift, Sources, Tests, the lessons
///                                      and the exercises' starters (no solutions, wrong
///                                      solutions or hidden tests of other exercises)
///
/// The source, not a binary: a binary built here needs this system's C library (glibc
/// 2.36 on Debian 12), which Gradescope's Ubuntu 22.04 (2.35) lacks, so setup.sh builds
/// there. Tests come along because Package.swift names their folders.
struct Autograder {
    let official: URL
    let hiddenTests: URL?
    let sourceRoot: URL
    /// The exercise's progress key (`02-nt-xent`), the name of its files in the zip.
    let key: String
    let points: Int
    let testCount: Int
    let hiddenCount: Int
    /// Seconds run_autograder allows the whole grading: each learner cell's and each
    /// test's own limit added up (as if every one ran to its limit), plus a minute to
    /// start and read the files.
    let timeLimit: Int

    /// The scripts at the zip's root: resources of this module (`Autograder/`), whose
    /// `@EXERCISE@` and `@TIME_LIMIT@` are filled in (`script(_:)`).
    static let scripts = ["setup.sh", "run_autograder"]

    /// Folders of the source root that go into the zip whole, and the files of the top.
    static let sourceFolders = ["Sources", "Tests"]
    static let sourceFiles = ["Package.swift"]

    init(official: URL, sourceRoot: URL) throws {
        self.official = official
        self.sourceRoot = sourceRoot
        key = ExerciseProgress.key(for: official)
        hiddenTests = OfficialExercise.hiddenTests(of: official)
        var exercise = try ExerciseFile(contentsOf: official)
        if let hiddenTests {
            exercise = try exercise.merging(hiddenTests: try NotebookDocument(contentsOf: hiddenTests))
        }
        points = exercise.tests.map(\.points).reduce(0, +)
        testCount = exercise.tests.count
        hiddenCount = exercise.tests.filter(\.isHidden).count
        let options = GraderOptions()
        let seconds = Double(exercise.learnerCells.count) * options.learnerCellTimeLimit
            + exercise.tests.map { $0.timeoutSeconds ?? options.testTimeLimit }.reduce(0, +) + 60
        timeLimit = Int(seconds.rounded(.up))
    }

    /// Every entry: its path in the zip, its bytes and its Unix mode.
    func entries() throws -> [(path: String, data: Data, mode: UInt16)] {
        var entries: [(path: String, data: Data, mode: UInt16)] = []
        for name in Self.scripts {
            entries.append((name, Data(try script(name).utf8), 0o755))
        }
        entries.append(("exercise/\(key).lab", try Data(contentsOf: official), 0o644))
        if let hiddenTests {
            entries.append(("exercise/tests/\(key).tests.lab", try Data(contentsOf: hiddenTests), 0o644))
        }
        for path in try sourceFiles() {
            entries.append(("lab/" + path, try Data(contentsOf: sourceRoot.appendingPathComponent(path)), 0o644))
        }
        return entries
    }

    /// The zip's bytes.
    func zip() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for entry in try entries() {
            let data = entry.data
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count),
                                 permissions: entry.mode, compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw AutograderError(description: Messages.text("the zip could not be made in memory")) }
        return data
    }

    /// A script of `Autograder/`, with the exercise and the time limit filled in.
    func script(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw AutograderError(description: Messages.text("the script {name} is missing from selfsup's resources", ["name": name]))
        }
        return text.replacingOccurrences(of: "@EXERCISE@", with: key)
            .replacingOccurrences(of: "@TIME_LIMIT@", with: String(timeLimit))
    }

    /// The source files, relative to the source root, sorted: `sourceFiles`, every regular
    /// file under `sourceFolders`, the lessons and the exercises' starters and README.
    /// Hidden files and folders (`.build`, `.DS_Store`) and `__pycache__` are left out.
    func sourceFiles() throws -> [String] {
        let fm = FileManager.default
        var files = Self.sourceFiles
        for folder in Self.sourceFolders {
            let base = sourceRoot.appendingPathComponent(folder)
            guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                                             options: [.skipsHiddenFiles]) else { continue }
            let prefix = base.standardizedFileURL.path + "/"
            while let url = walker.nextObject() as? URL {
                let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
                if values.isDirectory == true {
                    if url.lastPathComponent == "__pycache__" { walker.skipDescendants() }
                    continue
                }
                let path = url.standardizedFileURL.path
                guard values.isRegularFile == true, path.hasPrefix(prefix) else { continue }
                files.append(folder + "/" + path.dropFirst(prefix.count))
            }
        }
        for folder in ["Lessons", "Lessons/Exercises"] {
            let names = (try? fm.contentsOfDirectory(atPath: sourceRoot.appendingPathComponent(folder).path)) ?? []
            for name in names where name.hasSuffix(".lab") || name == "README.md" {
                files.append(folder + "/" + name)
            }
        }
        return files.sorted()
    }
}

struct AutograderError: Error, CustomStringConvertible {
    var description: String
}
