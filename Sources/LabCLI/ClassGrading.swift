import Foundation
import LabScript
import LabSupport
import LineEditor
import Notebook
#if canImport(Glibc)
import Glibc
#endif

/// `selfsup grade DIR|FILES… --out RESULTS`: a class's hand-ins (`ClassRoster`), each
/// graded by a worker process of its own (`HandInWorker`), `jobs` at a time; then the
/// gradebook and the summary.
///
/// Each worker is started with `posix_spawn` in a process group of its own, its standard
/// input from `/dev/null`, its output and errors to `stdout.txt` and `stderr.txt` in the
/// student's results folder, and `OPENBLAS_NUM_THREADS=1` (one BLAS thread per hand-in;
/// `jobs` hand-ins use `jobs` cores) and `SWIFT_BACKTRACE=enable=no` (a crash ends the
/// process at once instead of symbolising a backtrace) in its environment. The worker sets
/// its own kernel limits (`HandInLimits`); this side enforces the wall-clock limit, killing
/// the worker's process group. However a worker ends, this side finishes its record
/// (`finish`): a worker that was stopped keeps the tests its record holds, and the reason
/// goes into the record, `report.txt` and `results.json`. A hand-in never ends the class run.
/// Ctrl-C kills every worker and ends the run (exit 130), leaving the results of the
/// hand-ins already graded.
struct ClassGrading {
    var inputs: [URL]
    var out: URL
    var official: URL?
    var tests: URL?
    var exercisesDirectory: URL?
    var jobs: Int
    var limits: HandInLimits
    /// The `selfsup` executable the workers run.
    var executable: URL
    /// Sections other reports add to the summary (the class's records in hand).
    var sections: (ClassResults) -> [ClassSummarySection] = { _ in [] }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        var status: Int32 = 2
    }

    /// The files of the class's results folder.
    static let gradebookName = "gradebook.csv"
    static let summaryNames = (markdown: "summary.md", html: "summary.html")

    /// Grades the class, writes its results, and returns them; `log` is told each hand-in as it finishes.
    func run(log: (String) -> Void) throws(Failure) -> ClassResults {
        let roster: ClassRoster
        do { roster = try ClassRoster.discover(inputs, excluding: out) } catch { throw Failure(description: error.description) }
        try prepareResultsFolder()
        let start = ContinuousClock.now
        var records: [HandInRecord] = []
        var queue: [(handIn: ClassHandIn, folder: URL)] = []
        for handIn in roster.handIns {
            let folder = out.appendingPathComponent(handIn.student)
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw Failure(description: Messages.text("cannot create the folder {path}", ["path": folder.path]))
            }
            if let problem = handIn.problem {
                var record = HandInRecord(student: handIn.student, handIn: handIn.file?.path, status: problem.status,
                                          reason: problem.reason)
                write(&record, folder: folder)
                records.append(record)
                log(line(record, done: records.count, of: roster.handIns.count))
            } else {
                queue.append((handIn, folder))
            }
        }
        Interrupts.install()
        let interruptsBefore = Interrupts.count
        var running: [Worker] = []
        var next = 0
        while next < queue.count || !running.isEmpty {
            if Interrupts.count != interruptsBefore {
                for worker in running { worker.kill() }
                for worker in running { _ = worker.wait(blocking: true) }
                throw Failure(description: Messages.text("interrupted: {done} of {count} hand-ins graded; their results are in {path}",
                                                         ["done": String(records.count), "count": String(roster.handIns.count),
                                                          "path": out.path]), status: 130)
            }
            while running.count < jobs && next < queue.count {
                let (handIn, folder) = queue[next]
                next += 1
                guard let file = handIn.file else { continue }
                switch Worker.start(executable: executable, arguments: workerArguments(file: file, folder: folder),
                                    folder: folder, student: handIn.student, file: file) {
                case .success(let worker):
                    running.append(worker)
                case .failure(let reason):
                    var record = HandInRecord(student: handIn.student, handIn: file.path, status: .crashed,
                                              reason: Messages.text("could not start its grading process: {reason}", ["reason": reason.description]))
                    write(&record, folder: folder)
                    records.append(record)
                    log(line(record, done: records.count, of: roster.handIns.count))
                }
            }
            var finishedAny = false
            for worker in running {
                if let status = worker.wait(blocking: false) {
                    var record = finish(worker, status: status)
                    write(&record, folder: worker.folder, reportWritten: record.status == .graded || record.status == .refused)
                    records.append(record)
                    log(line(record, done: records.count, of: roster.handIns.count))
                    finishedAny = true
                } else if worker.elapsed > limits.seconds && !worker.killedForTime {
                    worker.killedForTime = true
                    worker.kill()
                }
            }
            running.removeAll { $0.status != nil }
            if !finishedAny { usleep(20_000) }
        }
        let results = ClassResults(records: records, ignored: roster.ignored, seconds: (ContinuousClock.now - start).seconds,
                                   jobs: jobs, limits: limits.description)
        let extra = sections(results)
        do {
            try AtomicFile.write(Gradebook.csv(results), to: out.appendingPathComponent(ClassGrading.gradebookName))
            try AtomicFile.write(ClassSummary.markdown(results, sections: extra),
                                 to: out.appendingPathComponent(ClassGrading.summaryNames.markdown))
            try AtomicFile.write(ClassSummary.html(results, sections: extra),
                                 to: out.appendingPathComponent(ClassGrading.summaryNames.html))
        } catch {
            throw Failure(description: error.description)
        }
        return results
    }

    /// The results folder must be new or empty: results of two runs are never mixed, and a
    /// folder given by mistake (a home folder) is never written into.
    func prepareResultsFolder() throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: out.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Failure(description: Messages.text("--out {path} is a file: name a new folder for the results", ["path": out.path]))
            }
            let entries = (try? fm.contentsOfDirectory(atPath: out.path)) ?? []
            guard entries.isEmpty else {
                throw Failure(description: Messages.text("--out {path} is not empty: name a new folder for the results (or remove the old results first)",
                    ["path": out.path]))
            }
        } else {
            do { try fm.createDirectory(at: out, withIntermediateDirectories: true) } catch {
                throw Failure(description: Messages.text("cannot create the folder {path}", ["path": out.path]))
            }
        }
    }

    func workerArguments(file: URL, folder: URL) -> [String] {
        var arguments = ["grade", file.path, "--hand-in-worker", "--out", folder.path]
        if let official { arguments += ["--official", official.path] }
        if let tests { arguments += ["--tests", tests.path] }
        return arguments + limits.workerArguments
    }

    /// The record of a worker that ended: its own when it finished, else what it saved,
    /// with the reason it stopped and the tests it never reached failed.
    func finish(_ worker: Worker, status: Worker.Termination) -> HandInRecord {
        let saved = HandInRecord.read(from: worker.folder.appendingPathComponent(HandInWorker.recordName),
                                      maxBytes: limits.outputBytes)
        var record = saved ?? HandInRecord(student: worker.student, handIn: worker.file.path, status: .running)
        record.student = worker.student
        record.handIn = worker.file.path
        record.seconds = worker.elapsed
        // A worker that finished wrote its record last (exit status -1: reaped elsewhere, the record tells).
        if status == .exited(0) || status == .exited(-1), record.status == .graded || record.status == .refused { return record }
        let (kind, reason) = explain(worker, status)
        record.stop(kind, reason: reason)
        return record
    }

    /// Why a worker ended without finishing, and whether a limit stopped it or it crashed.
    func explain(_ worker: Worker, _ status: Worker.Termination) -> (HandInRecord.Status, String) {
        if worker.killedForTime {
            return (.stopped, Messages.text("it ran longer than the limit of {seconds} s (--time-limit)",
                                            ["seconds": Value.format(limits.seconds)]))
        }
        switch status {
        case .exited(HandInWorker.outputLimitStatus), .signalled(SIGXFSZ):
            return (.stopped, Messages.text("it printed more than the limit of {size} MiB (--output-limit)",
                                            ["size": String(limits.outputMiB)]))
        case .signalled(SIGXCPU):
            return (.stopped, Messages.text("it used more than the limit of {seconds} s of CPU time (--cpu-limit)",
                                            ["seconds": String(limits.cpuSeconds)]))
        default:
            break
        }
        let errors = worker.errorsTail()
        // Swift's runtime says "failed to allocate N bytes of memory"; the C library "Cannot allocate memory".
        if errors.lowercased().contains("allocate") || errors.lowercased().contains("out of memory") {
            return (.stopped, Messages.text("it needed more memory than the limit of {size} MiB (--memory-limit)",
                                            ["size": String(limits.memoryMiB)]))
        }
        switch status {
        case .signalled(let signal):
            return (.crashed, Messages.text("its grading process died with signal {number} ({name}); see {file}",
                                            ["number": String(signal), "name": Worker.signalName(signal),
                                             "file": HandInWorker.errorsName]))
        case .exited(let code):
            return (.crashed, Messages.text("its grading process ended with exit status {status} before it finished; see {file}",
                                            ["status": String(code), "file": HandInWorker.errorsName]))
        }
    }

    /// Writes a finished record, and the student's `results.json` and `report.txt` unless
    /// the worker wrote them itself.
    func write(_ record: inout HandInRecord, folder: URL, reportWritten: Bool = false) {
        do {
            try record.write(to: folder.appendingPathComponent(HandInWorker.recordName))
            if !reportWritten {
                var results = GradescopeResults(report: record.report)
                if let reason = record.reason {
                    results.output = Messages.text("Not graded in full ({status}): {reason}",
                                                   ["status": record.status.rawValue, "reason": reason]) + "\n\n" + results.output
                }
                try results.write(to: folder.appendingPathComponent(HandInWorker.resultsName))
                try AtomicFile.write(record.reportText, to: folder.appendingPathComponent(HandInWorker.reportName))
            }
        } catch {
            printError(Messages.text("warning: {message}", ["message": error.description]))
        }
    }

    /// One line per hand-in as it finishes: `[ 3/12] alice      9/11  graded    0.84 s`.
    func line(_ record: HandInRecord, done: Int, of count: Int) -> String {
        let width = String(count).count
        let counter = "[" + String(repeating: " ", count: width - String(done).count) + "\(done)/\(count)]"
        let score = record.maxScore.map { "\(record.score)/\($0)" } ?? "–"
        var text = Messages.text("{counter} {student}  {score}  {status}  {seconds} s", [
            "counter": counter, "student": record.student + record.student.padding(toDisplayWidth: 16),
            "score": score + score.padding(toDisplayWidth: 7),
            "status": record.status.rawValue + record.status.rawValue.padding(toDisplayWidth: 10),
            "seconds": String(format: "%.2f", record.seconds)])
        if let reason = record.reasonLine { text += ": " + reason }
        return text
    }
}

/// A worker process of the class run.
final class Worker {
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    let folder: URL
    let student: String
    let file: URL
    let started = ContinuousClock.now
    var killedForTime = false
    private(set) var status: Termination?
    private var endedAt: ContinuousClock.Instant?

    private init(pid: pid_t, folder: URL, student: String, file: URL) {
        self.pid = pid
        self.folder = folder
        self.student = student
        self.file = file
    }

    /// Wall-clock seconds since the start (until the end, once it ended).
    var elapsed: Double { ((endedAt ?? ContinuousClock.now) - started).seconds }

    /// Starts `executable ARGUMENTS` as described in `ClassGrading`.
    static func start(executable: URL, arguments: [String], folder: URL, student: String, file: URL) -> Result<Worker, SpawnError> {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, folder.appendingPathComponent(HandInWorker.outputName).path, flags, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, folder.appendingPathComponent(HandInWorker.errorsName).path, flags, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ, SIGXCPU] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard result == 0 else { return .failure(SpawnError(description: String(cString: strerror(result)))) }
        return .success(Worker(pid: pid, folder: folder, student: student, file: file))
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Kills the worker's process group (and the worker, should the group not exist yet).
    func kill() {
        guard status == nil else { return }
        if Glibc.kill(-pid, SIGKILL) != 0 { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// How the worker ended, once it has (nil while it runs and `blocking` is false).
    func wait(blocking: Bool) -> Termination? {
        if let status { return status }
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            if result == 0 { return nil }
            if result < 0 {
                if errno == EINTR { continue }
                // Reaped elsewhere: the exit status is lost; the record tells what was done.
                finish(.exited(-1))
                return status
            }
            break
        }
        let signal = raw & 0x7f
        finish(signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal))
        return status
    }

    private func finish(_ termination: Termination) {
        status = termination
        endedAt = ContinuousClock.now
    }

    /// The end of the worker's standard error (what the runtime says when it stops it).
    func errorsTail(bytes: Int = 4096) -> String {
        guard let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent(HandInWorker.errorsName).path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
                                      SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM",
                                      SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ"]
        return names[signal] ?? "signal \(signal)"
    }
}
