import ArgumentParser
import Display
import Foundation
import LabSupport
import Notebook

/// `selfsup grade EXERCISE`: grades an exercise; `selfsup grade DIR|FILES… --out RESULTS`
/// grades a class (`ClassGrading`).
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade an exercise (the learner's cells, then each test in the grader's own scope), or a class of hand-ins.",
        discussion: """
            EXERCISE is a file, or an exercise's number or name (02, 2, 02-nt-xent, nt-xent): \
            your working copy from `selfsup start` (NN-name.lab in the working directory, else \
            where start wrote it), or the official starter when you have none. The hand-in is \
            graded against the official exercise: its visible tests, the teacher's hidden tests \
            and their time limits; the hand-in gives only its [exercise] cells. A notebook from \
            `selfsup export EXERCISE.lab --to ipynb` is graded exactly as the .lab file: it \
            names its exercise, and its exercise cells keep their ids in their metadata. The \
            result goes into your progress (`selfsup exercises`) only when you grade your own \
            working copy (by number or name, or by its path) without --official, --tests, \
            --exercise or --json; any other file is graded for someone else. Exit status 0 when \
            grading finished, whatever the score (with --strict: 1 unless full marks); 2 when \
            the file cannot be graded.

            A class: `selfsup grade DIR --out RESULTS` (or several files, or folders). In DIR, \
            one file per student (alice.lab, bob.ipynb: the student is the file name without \
            its extension) or one folder per student holding their hand-in at any depth \
            (carol/…/work.ipynb: the student is the folder's name), mixed as you like; other \
            files are skipped. A student folder with no .lab or .ipynb file is listed as \
            "no hand-in", one with several as "refused" (keep one and grade again); neither \
            stops the class. Each hand-in is matched to its exercise as one file is, or graded \
            against --exercise ID (or --official PATH). Every hand-in is graded in a process \
            of its own, --jobs at a time, under limits it sets on itself: --time-limit (wall \
            clock, default 30 s), --cpu-limit (RLIMIT_CPU, 30 s), --memory-limit (RLIMIT_AS, \
            2048 MiB), --output-limit (RLIMIT_FSIZE, 16 MiB printed), --open-files \
            (RLIMIT_NOFILE, 64); within them the grader's own limits hold as for one file (10 \
            s a test, 30 s a cell), and a hand-in scores what grading it alone gives. A \
            hand-in stopped by a limit keeps the marks of the tests it completed (status \
            "stopped", with the reason); one whose process dies gets "crashed"; neither stops \
            the class. RESULTS (new or empty) gets per student STUDENT/results.json \
            (Gradescope), report.txt, grading.json, stdout.txt and stderr.txt (what the \
            hand-in printed, and the process's errors), and for the class gradebook.csv \
            (student, exercise, score, max, one column per test, status, reason, seconds), \
            summary.md and summary.html. Moodle imports gradebook.csv as it is (Grades > \
            Import > CSV file: map `student` to the user field the hand-ins are named by, \
            e.g. username, and `score` to the grade item); Canvas needs its own student \
            columns (Student, ID, SIS Login ID, Section: export the Canvas gradebook, add the \
            `score` column matched by student, import that file). Grading a class never \
            records progress. Exit status 0 when the class was graded, whatever the scores \
            and however the hand-ins ended; 2 on bad usage; 130 when interrupted.
            """)

    @ArgumentParser.Argument(help: ArgumentHelp(
        "The exercise's number or name (02, nt-xent), or a file: .lab, or .ipynb from `selfsup export EXERCISE.lab --to ipynb` (only its [exercise] cells are used); for a class, folders of hand-ins or several files (with --out).",
        valueName: "exercise"))
    var targets: [String] = []

    @Option(help: "The official exercise file to grade against (default: the exercise of Lessons/Exercises with the same exercise ids; a hand-in of no known exercise needs this).")
    var official: String?

    @Option(help: "The official exercise to grade against, by number or name (02, nt-xent), for hand-ins that do not say which they are.")
    var exercise: String?

    @Option(help: "A teacher's hidden tests file (default: the official file's tests/NN-name.tests.lab): its tests are run and reported by name, their code is never shown.")
    var tests: String?

    @Option(help: "Write Gradescope results.json to this path (one hand-in).")
    var json: String?

    @Flag(help: "Exit with status 1 unless the score is full marks (one hand-in).")
    var strict = false

    @Option(help: "Grade a class: a new or empty folder for the results (per student and for the class).")
    var out: String?

    @Option(help: "A class: hand-ins graded at a time (default: the number of cores).")
    var jobs: Int?

    @Option(name: .customLong("time-limit"), help: "A class: wall-clock seconds each hand-in may take (default 30).")
    var timeLimit: Double?

    @Option(name: .customLong("cpu-limit"), help: "A class: CPU seconds each hand-in may use (RLIMIT_CPU; default 30).")
    var cpuLimit: Int?

    @Option(name: .customLong("memory-limit"), help: "A class: MiB of address space each hand-in's process may have (RLIMIT_AS; default 2048, at least 768).")
    var memoryLimit: Int?

    @Option(name: .customLong("output-limit"), help: "A class: MiB each hand-in may print (RLIMIT_FSIZE; default 16).")
    var outputLimit: Int?

    @Option(name: .customLong("open-files"), help: "A class: files each hand-in's process may have open (RLIMIT_NOFILE; default 64).")
    var openFiles: Int?

    /// The class run starts each hand-in's worker with this (see `HandInWorker`).
    @Flag(name: .customLong("hand-in-worker"), help: .private)
    var handInWorker = false

    /// The teacher's options (an official file, hidden tests, Gradescope results) mean the
    /// hand-in is someone else's, whose score is not the grader's own progress.
    var usesTeacherOptions: Bool { official != nil || tests != nil || json != nil || exercise != nil }

    /// Only the learner grading their own working copy records progress.
    func recordsProgress(_ target: ExerciseTarget) -> Bool { target.isWorkingCopy && !usesTeacherOptions }

    /// The options only a class run reads, as given.
    var classOptionsGiven: [String] {
        [("--jobs", jobs != nil), ("--time-limit", timeLimit != nil), ("--cpu-limit", cpuLimit != nil),
         ("--memory-limit", memoryLimit != nil), ("--output-limit", outputLimit != nil), ("--open-files", openFiles != nil)]
            .filter { $0.1 }.map { $0.0 }
    }

    var limits: HandInLimits {
        var limits = HandInLimits()
        if let timeLimit { limits.seconds = timeLimit }
        if let cpuLimit { limits.cpuSeconds = cpuLimit }
        if let memoryLimit { limits.memoryMiB = memoryLimit }
        if let outputLimit { limits.outputMiB = outputLimit }
        if let openFiles { limits.openFiles = openFiles }
        return limits
    }

    /// Whether the arguments name a class: --out, several arguments, or a folder.
    var gradesClass: Bool {
        out != nil || targets.count > 1 || targets.contains { argument in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    func usage(_ message: String) -> ExitCode {
        printError("selfsup grade: " + message)
        return ExitCode.usage
    }

    func run() throws {
        if handInWorker { return try runWorker() }
        guard !targets.isEmpty else {
            throw usage(Messages.text("name an exercise (02, nt-xent), a hand-in file, or a class: a folder of hand-ins with --out RESULTS"))
        }
        if official != nil && exercise != nil { throw usage(Messages.text("give --exercise or --official, not both")) }
        if gradesClass { return try runClass() }
        if !classOptionsGiven.isEmpty {
            throw usage(Messages.text("{options} are for grading a class: add --out RESULTS (a new folder for the results)",
                                      ["options": classOptionsGiven.joined(separator: ", ")]))
        }
        let target = try ExerciseArguments.resolve(targets[0], command: "grade")
        let colour = TerminalCapabilities.detect().colorEnabled
        let records = recordsProgress(target)
        let request = GradeRequest(file: target.file,
                                   testsFile: tests.map { URL(fileURLWithPath: $0) },
                                   jsonPath: json.map { URL(fileURLWithPath: $0) },
                                   strict: strict, colour: colour,
                                   progress: records ? ProgressStore.standard() : nil,
                                   officialFile: try officialFile() ?? target.official,
                                   exercisesDirectory: ExerciseArguments.exercisesDirectory)
        let outcome = Notebook.GradeCommand.run(request)
        if outcome.status == 2 {
            FileHandle.standardError.write(Data(outcome.text.utf8))
        } else {
            print(outcome.text, terminator: "")
            if !records && !usesTeacherOptions, let note = ExerciseArguments.notRecordedNote(target) { print(note) }
        }
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }

    /// The official file --official or --exercise names (nil when neither is given).
    func officialFile() throws -> URL? {
        if let official { return URL(fileURLWithPath: official) }
        guard let exercise else { return nil }
        guard let directory = ExerciseArguments.exercisesDirectory,
              let url = ExerciseArgument.official(named: exercise, in: directory) else {
            let keys = ExerciseArguments.exercisesDirectory
                .map { ExerciseArgument.officialFiles(in: $0).map { ExerciseProgress.key(for: $0) } } ?? []
            throw usage(Messages.text("--exercise {name} names no exercise (exercises: {list})",
                                      ["name": exercise, "list": keys.isEmpty ? "none" : keys.joined(separator: ", ")]))
        }
        return url
    }

    func runClass() throws {
        guard let out else {
            if targets.count == 1 {
                throw usage(Messages.text("{path} is a folder of hand-ins: to grade them as a class, name a new folder for the results, e.g. selfsup grade {path} --out results", ["path": targets[0]]))
            }
            throw usage(Messages.text("several hand-ins are graded as a class: name a new folder for the results with --out, e.g. --out results"))
        }
        if json != nil || strict {
            throw usage(Messages.text("--json and --strict are for one hand-in; a class's results are RESULTS/STUDENT/results.json and RESULTS/gradebook.csv"))
        }
        if let problem = limits.problem { throw usage(problem) }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...256).contains(jobs) else { throw usage(Messages.text("--jobs must be between 1 and 256")) }
        let official = try officialFile()
        for (option, path) in [("--official", official?.path), ("--tests", tests)] {
            if let path, !FileManager.default.fileExists(atPath: path) {
                throw usage(Messages.text("{option}: no file '{path}'", ["option": option, "path": path]))
            }
        }
        let cwd = ExerciseArguments.workingDirectory
        func absolute(_ path: String) -> URL {
            (path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)).standardizedFileURL
        }
        let grading = ClassGrading(inputs: targets.map(absolute), out: absolute(out),
                                   official: official.map { absolute($0.path) }, tests: tests.map(absolute),
                                   exercisesDirectory: ExerciseArguments.exercisesDirectory, jobs: jobs, limits: limits,
                                   executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                                   sections: ClassSimilarity.sections)
        let results: ClassResults
        do {
            results = try grading.run { line in print(line) }
        } catch {
            printError("selfsup grade: " + error.description)
            throw ExitCode(error.status)
        }
        print(Messages.text("Graded {count} hand-ins in {seconds} s, {jobs} at a time. Results in {path}: gradebook.csv, summary.md, summary.html, and a folder per student.",
                            ["count": String(results.records.count), "seconds": String(format: "%.1f", results.seconds),
                             "jobs": String(jobs), "path": grading.out.path]))
    }

    func runWorker() throws {
        guard targets.count == 1, let out else { throw usage(Messages.text("--hand-in-worker needs one file and --out")) }
        let status = HandInWorker.run(file: URL(fileURLWithPath: targets[0]), folder: URL(fileURLWithPath: out),
                                      official: official.map { URL(fileURLWithPath: $0) },
                                      tests: tests.map { URL(fileURLWithPath: $0) },
                                      exercisesDirectory: ExerciseArguments.exercisesDirectory, limits: limits)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `selfsup exercises`: every exercise with its lesson, points and state.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "List every exercise with its lesson, points and your progress.")

    func run() throws {
        guard let directory = ProjectPaths.exercises else {
            printError("selfsup exercises: " + Messages.text("cannot find Lessons/Exercises (set SELFSUP_ROOT to the project folder)"))
            throw ExitCode(2)
        }
        let progress: ExerciseProgress
        do { progress = try ProgressStore.standard().load() } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let (listings, problems) = ExerciseCatalog.list(directory: URL(fileURLWithPath: directory), progress: progress)
        print(ExerciseCatalog.table(listings), terminator: "")
        print(Messages.text("`selfsup start 02` copies exercise 02 here to work on; `selfsup watch` grades the first one not yet passing on every save."))
        for problem in problems { printError(Messages.text("warning: {message}", ["message": problem])) }
    }
}

/// `selfsup hint EXERCISE`: the next hint of an exercise.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Show the next hint of an exercise (hints come in order; each call shows one more).",
        discussion: "EXERCISE is its number or name (02, nt-xent) or a file of it; the hints are the official exercise's "
            + "(its translated twin's under --lang zh).")

    @ArgumentParser.Argument(help: "The exercise's number or name (02, nt-xent), or an exercise file (.lab).")
    var exercise: String

    func run() throws {
        let target = try ExerciseArguments.resolve(exercise, command: "hint")
        do {
            let file = target.official.map { LessonTranslation.inLanguage($0, Messages.language) } ?? target.file
            let reply = try ExerciseHints.next(file: file, store: ProgressStore.standard())
            print(reply.text, terminator: reply.text.hasSuffix("\n") ? "" : "\n")
        } catch {
            printError("selfsup hint: \(error)")
            throw ExitCode(2)
        }
    }
}
