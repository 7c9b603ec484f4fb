import Foundation
import LabSupport
import Notebook
#if canImport(Glibc)
import Glibc
#endif

/// One hand-in of a class, graded in a process of its own: `selfsup grade FILE
/// --hand-in-worker --out STUDENT_FOLDER` (a hidden option; the class run starts it, with
/// its standard output and error going to `stdout.txt` and `stderr.txt` in the student's
/// folder and `OPENBLAS_NUM_THREADS=1` in its environment).
///
/// It sets its own limits first (`HandInLimits.apply`), then grades the file exactly as
/// `selfsup grade FILE` does (`Notebook.GradeCommand.run`, never recording progress),
/// with an observer that saves `grading.json` (`HandInRecord`) before the first test and
/// after every test, and writes what the learner's code prints to standard output as it
/// prints it. When that output reaches the output limit (the write fails with EFBIG) the
/// worker exits at once with `outputLimitStatus`. At the end it writes `results.json`
/// (Gradescope), `report.txt` (what `selfsup grade FILE` prints) and the final record,
/// and exits 0 (a hand-in it cannot grade is a record with status `refused`).
///
/// Test hook: when `SELFSUP_TEST_HOOK_CRASH_MARKER` is set to a non-empty text and the
/// hand-in file contains it, the worker kills itself with SIGSEGV once its record is
/// saved, before the first test. It exists so the tests (and `Scripts/make-class`) can
/// show what a crashing grader process costs: the lab itself must never crash on script
/// input, so no hand-in can do this on its own.
enum HandInWorker {
    /// The exit status of a worker whose output reached `--output-limit`.
    static let outputLimitStatus: Int32 = 3
    /// The exit status of a worker that could not set its limits or write its results.
    static let failureStatus: Int32 = 4
    /// The environment variable of the crash test hook.
    static let crashHookVariable = "SELFSUP_TEST_HOOK_CRASH_MARKER"

    static let recordName = "grading.json"
    static let resultsName = "results.json"
    static let reportName = "report.txt"
    static let outputName = "stdout.txt"
    static let errorsName = "stderr.txt"

    /// The record, shared by the observer's callbacks.
    private final class State: @unchecked Sendable {
        var record: HandInRecord
        let url: URL
        init(record: HandInRecord, url: URL) {
            self.record = record
            self.url = url
        }
        func save() throws(FileWriteError) { try record.write(to: url) }
    }

    static func run(file: URL, folder: URL, official: URL?, tests: URL?, exercisesDirectory: URL?,
                    limits: HandInLimits) -> Int32 {
        signal(SIGXFSZ, SIG_IGN)
        do { try limits.apply() } catch {
            fail(Messages.text("cannot set the limits: {reason}", ["reason": error.description]))
            return failureStatus
        }
        let state = State(record: HandInRecord(student: folder.lastPathComponent, handIn: file.path, status: .running),
                          url: folder.appendingPathComponent(recordName))
        do { try state.save() } catch {
            fail(error.description)
            return failureStatus
        }
        let crashMarker = ProcessInfo.processInfo.environment[crashHookVariable] ?? ""
        let observer = GradeObserver(
            started: { exercise, officialURL in
                state.record.plan(exercise, official: officialURL)
                try? state.save()
                if !crashMarker.isEmpty, let data = FileManager.default.contents(atPath: file.path),
                   String(decoding: data, as: UTF8.self).contains(crashMarker) {
                    kill(getpid(), SIGSEGV)
                }
            },
            printed: { text in writeOutput(text) },
            testFinished: { report in
                state.record.take(report)
                try? state.save()
            })
        let outcome = Notebook.GradeCommand.run(
            GradeRequest(file: file, testsFile: tests, officialFile: official, exercisesDirectory: exercisesDirectory),
            observer: observer)
        var record = state.record
        var results: GradescopeResults
        let reportText: String
        if let report = outcome.report {
            record.take(report)
            record.seconds = report.seconds
            record.status = .graded
            let human = report.humanText()
            if outcome.text.hasSuffix(human) { record.warnings = String(outcome.text.dropLast(human.count)) }
            results = GradescopeResults(report: report)
            reportText = outcome.text
        } else {
            let reason = outcome.text.trimmingCharacters(in: .whitespacesAndNewlines)
            record.status = .refused
            record.reason = reason.hasPrefix("cannot grade: ") ? String(reason.dropFirst("cannot grade: ".count)) : reason
            results = GradescopeResults(report: record.report)
            results.output = record.reason ?? reason
            reportText = record.reportText
        }
        do {
            try results.write(to: folder.appendingPathComponent(resultsName))
            try AtomicFile.write(reportText, to: folder.appendingPathComponent(reportName))
            try record.write(to: state.url)
        } catch {
            fail(error.description)
            return failureStatus
        }
        return 0
    }

    /// What the learner's code prints, to standard output (`stdout.txt`), unbuffered. At
    /// the output limit the write fails with EFBIG (SIGXFSZ is ignored) and the worker
    /// ends with `outputLimitStatus`: the tests completed so far are saved already.
    static func writeOutput(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in write(1, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EFBIG { _exit(outputLimitStatus) }
                return
            }
            offset += written
        }
    }

    private static func fail(_ message: String) {
        FileHandle.standardError.write(Data(("selfsup grade: " + message + "\n").utf8))
    }
}
