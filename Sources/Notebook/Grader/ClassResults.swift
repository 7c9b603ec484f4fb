import Display
import Foundation
import LabSupport

/// A class's grading: one record per student (sorted by student) and how the run went.
/// `Gradebook` and `ClassSummary` write it out.
public struct ClassResults: Sendable {
    public var records: [HandInRecord]
    /// Files beside the hand-ins that were not hand-ins (skipped).
    public var ignored: [String]
    /// Wall-clock seconds of the whole class run.
    public var seconds: Double
    /// Hand-ins graded at a time.
    public var jobs: Int
    /// The limits each hand-in ran under, in words (the summary shows them).
    public var limits: String

    public init(records: [HandInRecord], ignored: [String] = [], seconds: Double = 0, jobs: Int = 1, limits: String = "") {
        self.records = records.sorted { $0.student < $1.student }
        self.ignored = ignored
        self.seconds = seconds
        self.jobs = jobs
        self.limits = limits
    }

    /// The exercises of the class, sorted by key, each with its tests (names, points,
    /// hidden) as the hand-ins of that exercise were graded with them.
    public var exercises: [(key: String, tests: [HandInRecord.Test])] {
        var tests: [String: [HandInRecord.Test]] = [:]
        for record in records {
            guard let key = record.exercise, !record.tests.isEmpty else { continue }
            if (tests[key]?.count ?? 0) < record.tests.count { tests[key] = record.tests }
        }
        return tests.keys.sorted().map { ($0, tests[$0] ?? []) }
    }

    func records(of exercise: String) -> [HandInRecord] {
        records.filter { $0.exercise == exercise && !$0.tests.isEmpty }
    }

    func count(_ status: HandInRecord.Status) -> Int { records.filter { $0.status == status }.count }
}

/// `gradebook.csv`: one row per student.
///
///     student,exercise,score,max,<one column per test>,status,reason,seconds
///
/// A test's column holds the points the student earned on it (empty for a student of
/// another exercise). With one exercise in the class a test's column is its name; with
/// several, `EXERCISE: test name`. `status` is `graded`, `stopped`, `crashed`, `refused`
/// or `no hand-in` (see `HandInRecord.Status`); `reason` says why for all but `graded`;
/// `seconds` is the wall-clock time of the hand-in's process. RFC 4180: comma-separated,
/// fields with a comma, quote or line break quoted, CRLF line ends, UTF-8. A field that a
/// spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage
/// return) gets a leading `'`, so opening the file never runs a student's file name.
public enum Gradebook {
    public static func csv(_ results: ClassResults) -> String {
        let exercises = results.exercises
        let prefixed = exercises.count > 1
        var header = ["student", "exercise", "score", "max"]
        for exercise in exercises {
            header += exercise.tests.map { prefixed ? "\(exercise.key): \($0.name)" : $0.name }
        }
        header += ["status", "reason", "seconds"]
        var lines = [header.map(field).joined(separator: ",")]
        for record in results.records {
            var row = [record.student, record.exercise ?? "", String(record.score), record.maxScore.map(String.init) ?? ""]
            for exercise in exercises {
                if record.exercise == exercise.key && record.tests.count == exercise.tests.count {
                    row += record.tests.map { String($0.points) }
                } else {
                    row += Array(repeating: "", count: exercise.tests.count)
                }
            }
            row += [record.status.rawValue, record.reason ?? "", String(format: "%.2f", record.seconds)]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV field, quoted when needed, a would-be formula defused.
    static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           Double(value) == nil {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A section another report adds to the class summary (a title, then its body as Markdown
/// for `summary.md` and as HTML for `summary.html`; the HTML is the caller's and is put in
/// the page as it is, so everything in it from a hand-in must already be escaped).
public struct ClassSummarySection: Sendable, Equatable {
    public var title: String
    public var markdown: String
    public var html: String

    public init(title: String, markdown: String, html: String) {
        self.title = title
        self.markdown = markdown
        self.html = html
    }
}

/// `summary.md` and `summary.html`: the class at a glance. Per exercise, a histogram of
/// the scores (Display's bar chart: text in the Markdown, SVG in the HTML), each test's
/// pass rate and most common failure message; then the slowest hand-ins, the hand-ins not
/// graded in full with their reasons, and the extra sections (`ClassSummarySection`).
/// Everything from a hand-in (names, messages) is escaped as text.
public enum ClassSummary {
    /// How many of the slowest hand-ins are listed.
    static let slowestCount = 5
    /// At most this many characters of a failure message are shown.
    static let messageLength = 160

    public static func markdown(_ results: ClassResults, sections: [ClassSummarySection] = []) -> String {
        var out = "# " + markdownEscape(Messages.text("Class results")) + "\n\n" + markdownEscape(overview(results)) + "\n"
        if !results.limits.isEmpty { out += "\n" + markdownEscape(results.limits) + "\n" }
        for exercise in results.exercises {
            out += "\n## " + markdownEscape(exerciseHeading(results, exercise.key)) + "\n\n"
            if let chart = histogram(results, exercise.key) {
                out += "```text\n" + chart.render(.plain, height: 10) + "\n```\n\n"
            }
            out += testTable(results, exercise.key, exercise.tests).markdown(title: nil) + "\n"
        }
        let slow = slowest(results)
        if !slow.rows.isEmpty { out += "\n## " + markdownEscape(Messages.text("Slowest hand-ins")) + "\n\n" + slow.markdown(title: nil) + "\n" }
        let unfinished = notGradedInFull(results)
        if !unfinished.rows.isEmpty {
            out += "\n## " + markdownEscape(Messages.text("Not graded in full")) + "\n\n" + unfinished.markdown(title: nil) + "\n"
        }
        if !results.ignored.isEmpty {
            out += "\n## " + markdownEscape(Messages.text("Files that are not hand-ins (skipped)")) + "\n\n"
                + results.ignored.map { "- " + markdownEscape($0) }.joined(separator: "\n") + "\n"
        }
        for section in sections {
            out += "\n## " + markdownEscape(section.title) + "\n\n" + section.markdown + "\n"
        }
        return out
    }

    public static func html(_ results: ClassResults, sections: [ClassSummarySection] = []) -> String {
        var body = ["<h1>\(xmlEscape(Messages.text("Class results")))</h1>", "<p>\(xmlEscape(overview(results)))</p>"]
        if !results.limits.isEmpty { body.append("<p>\(xmlEscape(results.limits))</p>") }
        for exercise in results.exercises {
            body.append("<section>\n<h2>\(xmlEscape(exerciseHeading(results, exercise.key)))</h2>")
            if let chart = histogram(results, exercise.key) {
                body.append("<figure>\n\(inlineSVG(chart.svg(width: 640, height: 320)))\n</figure>")
            }
            body.append("<div class=\"table-wrap\">\n\(testTable(results, exercise.key, exercise.tests).html(title: nil))\n</div>\n</section>")
        }
        let slow = slowest(results)
        if !slow.rows.isEmpty {
            body.append("<section>\n<h2>\(xmlEscape(Messages.text("Slowest hand-ins")))</h2>\n"
                + "<div class=\"table-wrap\">\n\(slow.html(title: nil))\n</div>\n</section>")
        }
        let unfinished = notGradedInFull(results)
        if !unfinished.rows.isEmpty {
            body.append("<section>\n<h2>\(xmlEscape(Messages.text("Not graded in full")))</h2>\n"
                + "<div class=\"table-wrap\">\n\(unfinished.html(title: nil))\n</div>\n</section>")
        }
        if !results.ignored.isEmpty {
            body.append("<section>\n<h2>\(xmlEscape(Messages.text("Files that are not hand-ins (skipped)")))</h2>\n<ul>\n"
                + results.ignored.map { "<li>\(xmlEscape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n</section>")
        }
        for section in sections {
            body.append("<section>\n<h2>\(xmlEscape(section.title))</h2>\n\(section.html)\n</section>")
        }
        return HTMLExport.document(title: Messages.text("Class results"), language: Messages.language.rawValue,
                                   extraStyle: """
                                   main { max-width: 64rem; }
                                   table.table td { white-space: normal; }
                                   .similar-pair table { table-layout: fixed; width: 100%; }
                                   .similar-pair td { vertical-align: top; }
                                   .similar-pair pre { white-space: pre-wrap; overflow-wrap: anywhere; }

                                   """, body: body)
    }

    static func overview(_ results: ClassResults) -> String {
        Messages.text("{count} hand-ins, {jobs} at a time, in {seconds} s: {graded} graded, {stopped} stopped by a limit, {crashed} crashed, {refused} refused, {none} with no hand-in.", [
                        "count": String(results.records.count), "jobs": String(results.jobs),
                        "seconds": String(format: "%.1f", results.seconds),
                        "graded": String(results.count(.graded)), "stopped": String(results.count(.stopped)),
                        "crashed": String(results.count(.crashed)), "refused": String(results.count(.refused)),
                        "none": String(results.count(.noHandIn))])
    }

    static func exerciseHeading(_ results: ClassResults, _ key: String) -> String {
        let records = results.records(of: key)
        let scores = records.map { Double($0.score) }.sorted()
        let mean = scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
        let median = scores.isEmpty ? 0 : (scores[(scores.count - 1) / 2] + scores[scores.count / 2]) / 2
        return Messages.text("{exercise}: {count} hand-ins, mean {mean} of {max} points, median {median}", [
            "exercise": key, "count": String(records.count), "mean": NumberFormat.compact(mean, digits: 3),
            "max": String(records.first?.maxScore ?? 0), "median": NumberFormat.compact(median, digits: 3)])
    }

    /// The score histogram of an exercise: one bar per score up to 40 points, else 10 bins.
    static func histogram(_ results: ClassResults, _ key: String) -> Chart? {
        let records = results.records(of: key)
        guard let max = records.first?.maxScore, !records.isEmpty else { return nil }
        let bins = max <= 40 ? max + 1 : 10
        var counts = Array(repeating: 0.0, count: bins)
        var labels: [String] = []
        for bin in 0..<bins {
            if max <= 40 {
                labels.append(String(bin))
            } else {
                let low = bin * (max + 1) / bins, high = (bin + 1) * (max + 1) / bins - 1
                labels.append("\(low)–\(high)")
            }
        }
        for record in records {
            let score = Swift.min(Swift.max(record.score, 0), max)
            counts[max <= 40 ? score : Swift.min(bins - 1, score * bins / (max + 1))] += 1
        }
        return try? bar([counts], labels: labels, title: Messages.text("Scores of {exercise}", ["exercise": key]),
                        yLabel: Messages.text("hand-ins"))
    }

    static func testTable(_ results: ClassResults, _ key: String, _ tests: [HandInRecord.Test]) -> Table {
        let records = results.records(of: key).filter { $0.tests.count == tests.count }
        let rows = tests.indices.map { index -> [TableCell] in
            let test = tests[index]
            let passed = records.filter { $0.tests[index].passed }.count
            var failures: [String: Int] = [:]
            for record in records where !record.tests[index].passed {
                failures[failureLine(record.tests[index].message, record: record), default: 0] += 1
            }
            let common = failures.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.first
            let name = test.hidden ? Messages.text("{name} [hidden]", ["name": test.name]) : test.name
            return [.text(name), .number(Double(test.maxPoints)), .text("\(passed)/\(records.count)"),
                    .text(records.isEmpty ? "" : String(format: "%.0f%%", 100 * Double(passed) / Double(records.count))),
                    .text(common.map { Messages.text("{message} ({count}×)", ["message": $0.key, "count": String($0.value)]) } ?? "")]
        }
        return Table(columns: [Messages.text("test"), Messages.text("points"), Messages.text("passed"),
                               Messages.text("pass rate"), Messages.text("most common failure")], rows: rows)
    }

    /// The first line of a failure message, with the hand-in's own path taken out (so the
    /// same mistake reads the same in every student's file), sanitised and cut.
    static func failureLine(_ message: String, record: HandInRecord) -> String {
        var line = String(message.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
        if let file = record.file, !file.isEmpty { line = line.replacingOccurrences(of: file, with: "<hand-in>") }
        line = GradeReport.sanitized(line).trimmingCharacters(in: .whitespaces)
        return line.count > messageLength ? String(line.prefix(messageLength)) + "…" : line
    }

    static func slowest(_ results: ClassResults) -> Table {
        let slow = results.records.filter { $0.seconds > 0 }
            .sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.student < $1.student }.prefix(slowestCount)
        return Table(columns: [Messages.text("student"), Messages.text("exercise"), Messages.text("seconds"), Messages.text("status")],
                     rows: slow.map { [.text($0.student), .text($0.exercise ?? ""), .text(String(format: "%.2f", $0.seconds)),
                                       .text($0.status.rawValue)] })
    }

    static func notGradedInFull(_ results: ClassResults) -> Table {
        let records = results.records.filter { $0.status != .graded }
        return Table(columns: [Messages.text("student"), Messages.text("status"), Messages.text("points kept"), Messages.text("reason")],
                     rows: records.map { record in
                        let reason = GradeReport.sanitized(record.reason ?? "").split(separator: "\n").first.map(String.init) ?? ""
                        return [.text(record.student), .text(record.status.rawValue),
                                .text(record.maxScore.map { "\(record.score)/\($0)" } ?? ""),
                                .text(reason.count > messageLength ? String(reason.prefix(messageLength)) + "…" : reason)]
                     })
    }
}
