import LabSupport

/// The result of one test.
public struct TestResult: Sendable, Equatable {
    public var name: String
    /// Points earned: all of `maxPoints` when the test passed, else 0.
    public var points: Int
    public var maxPoints: Int
    public var passed: Bool
    /// Why it failed (the check's message, or the learner's error rendered with its source
    /// line and caret); "passed" when it passed. Never shows a hidden test's code.
    public var message: String
    /// From the teacher's tests file: name and result shown, code not.
    public var isHidden: Bool
    /// Stopped by its time limit.
    public var timedOut: Bool
    public var seconds: Double
    /// What the test printed.
    public var printed: String

    public init(name: String, points: Int, maxPoints: Int, passed: Bool, message: String,
                isHidden: Bool, timedOut: Bool = false, seconds: Double = 0, printed: String = "") {
        self.printed = printed
        self.name = name
        self.points = points
        self.maxPoints = maxPoints
        self.passed = passed
        self.message = message
        self.isHidden = isHidden
        self.timedOut = timedOut
        self.seconds = seconds
    }
}

/// A learner cell that did not finish (its error, rendered, pointing into the learner's file).
public struct LearnerCellError: Sendable, Equatable {
    public var line: Int
    public var rendered: String
}

/// Everything one grading found: per-test results, the learner's own errors, the score.
public struct GradeReport: Sendable, Equatable {
    /// The exercise file graded (as named on the command line).
    public var file: String
    /// The official exercise file the hand-in was graded against, if any.
    public var officialFile: String? = nil
    /// The teacher's tests file, if one was given.
    public var testsFile: String?
    public var tests: [TestResult]
    public var learnerErrors: [LearnerCellError]
    /// Learner globals tests could not see because a grader name wins (e.g. `expect`).
    public var shadowedNames: [String]
    public var seconds: Double

    public init(file: String, officialFile: String? = nil, testsFile: String?, tests: [TestResult],
                learnerErrors: [LearnerCellError], shadowedNames: [String], seconds: Double) {
        self.file = file
        self.officialFile = officialFile
        self.testsFile = testsFile
        self.tests = tests
        self.learnerErrors = learnerErrors
        self.shadowedNames = shadowedNames
        self.seconds = seconds
    }

    public var score: Int { tests.reduce(0) { $0 + $1.points } }
    public var maxScore: Int { tests.reduce(0) { $0 + $1.maxPoints } }
    public var isFullMarks: Bool { score == maxScore }
    public var passedCount: Int { tests.filter(\.passed).count }

    /// The report for a person:
    ///
    ///     ✓ shape of the similarity matrix     2/2
    ///     ✗ matches nt_xent                    0/3
    ///         │ largest difference 0.41 at [] (got 2.49, expected 2.08); …
    ///     Score: 2/5 (1 of 2 tests passed)
    ///
    /// Only the grader writes lines that start at the margin or with a mark. Everything
    /// that can hold the learner's text (messages, errors with their source lines, what a
    /// test printed) is indented behind `│`, with control characters shown as `^X`, so a
    /// learner who prints "Score: 10/10" (or moves the cursor) cannot pass it off as the
    /// grader's.
    ///
    /// Shown in the chosen language (`Messages`): the grader's lines, and each test's name
    /// through the catalogue (`name=` stays English in the files, the key of results and
    /// gradebooks); names are padded by display width.
    public func humanText(colour: Bool = false) -> String {
        let graded = GradeReport.sanitized(file)
        let heading: String
        switch (officialFile.map(GradeReport.sanitized), testsFile.map(GradeReport.sanitized)) {
        case (nil, nil): heading = Messages.text("Grading {file}", ["file": graded])
        case (let official?, nil): heading = Messages.text("Grading {file} against {official}", ["file": graded, "official": official])
        case (nil, let tests?): heading = Messages.text("Grading {file} with the tests in {tests}", ["file": graded, "tests": tests])
        case (let official?, let tests?):
            heading = Messages.text("Grading {file} against {official} with the tests in {tests}",
                                    ["file": graded, "official": official, "tests": tests])
        }
        var out = heading + "\n"
        if !learnerErrors.isEmpty {
            out += "\n" + Messages.text("Your code stopped with an error (tests that need what follows it will fail):") + "\n"
            for error in learnerErrors { out += quote(error.rendered, by: 2) + "\n" }
        }
        if !shadowedNames.isEmpty {
            out += "\n" + Messages.text("Note: tests use the grader's own {names}, not the one your code defines.",
                                        ["names": shadowedNames.map { "'\($0)'" }.joined(separator: ", ")]) + "\n"
        }
        out += "\n"
        let nameWidth = min(48, tests.map { label($0).displayWidth }.max() ?? 0)
        for test in tests {
            let mark = test.passed ? paint("✓", "32", colour) : paint("✗", "31", colour)
            // A name wider than the column wraps by display width (Chinese breaks between
            // characters, never inside the hidden marker), and its score stands after the
            // last line, in the column.
            let lines = labelLines(test, width: nameWidth)
            for (index, line) in lines.enumerated() {
                out += index == 0 ? "\(mark) " : "  "
                if index < lines.count - 1 {
                    out += line + "\n"
                } else {
                    let padding = String(repeating: " ", count: max(1, nameWidth - line.displayWidth + 2))
                    out += "\(line)\(padding)\(test.points)/\(test.maxPoints)\n"
                }
            }
            if !test.passed {
                out += quote(test.message, by: 4) + "\n"
                if !test.isHidden && !test.printed.isEmpty {
                    var lines = test.printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    if lines.last == "" { lines.removeLast() }
                    let shown = lines.prefix(GradeReport.maxPrintedLines)
                    out += "    " + Messages.text("printed (output of the code, not of the grader):") + "\n"
                        + quote(shown.joined(separator: "\n"), by: 6) + "\n"
                    if lines.count > shown.count {
                        out += "      " + Messages.text("… {count} more lines", ["count": String(lines.count - shown.count)]) + "\n"
                    }
                }
            }
        }
        out += "\n" + Messages.text("Score: {score}/{max} ({passed} of {count} tests passed)",
                                    ["score": String(score), "max": String(maxScore),
                                     "passed": String(passedCount), "count": String(tests.count)]) + "\n"
        return out
    }

    /// At most this many printed lines of a failed visible test are shown.
    static let maxPrintedLines = 20

    /// A test's name as shown: through the catalogue, marked when hidden.
    private func label(_ test: TestResult) -> String {
        let name = Messages.text(test.name)
        return test.isHidden ? Messages.text("{name} [hidden]", ["name": name]) : name
    }

    /// The label wrapped to `width` columns: the name wraps by display width; the hidden
    /// marker ("[hidden]", "[隐藏]") is one unit that never breaks, placed as the catalogue's
    /// sentence places it, on the name's line when it fits and on a line of its own if not.
    private func labelLines(_ test: TestResult, width: Int) -> [String] {
        let name = Messages.text(test.name)
        let full = label(test)
        guard test.isHidden, let range = full.range(of: name), !name.isEmpty else { return full.wrapped(toDisplayWidth: width) }
        let before = String(full[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
        let after = String(full[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        var lines = name.wrapped(toDisplayWidth: width)
        // Whether the marker went with a space: "{name} [hidden]" or "{name}[隐藏]".
        let gapBefore = full[..<range.lowerBound].hasSuffix(" ") ? " " : ""
        let gapAfter = full[range.upperBound...].hasPrefix(" ") ? " " : ""
        if !after.isEmpty {
            if let last = lines.last, last.displayWidth + gapAfter.count + after.displayWidth <= width {
                lines[lines.count - 1] = last + gapAfter + after
            } else {
                lines.append(after)
            }
        }
        if !before.isEmpty {
            if before.displayWidth + gapBefore.count + lines[0].displayWidth <= width {
                lines[0] = before + gapBefore + lines[0]
            } else {
                lines.insert(before, at: 0)
            }
        }
        return lines
    }

    private func paint(_ text: String, _ code: String, _ colour: Bool) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Text that may be the learner's, each line behind `│ ` and sanitised.
    private func quote(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces) + "│ "
        let lines = GradeReport.sanitized(text).split(separator: "\n", omittingEmptySubsequences: false)
        let shown = lines.prefix(GradeReport.maxQuotedLines)
        var quoted = shown.map { pad + $0 }.joined(separator: "\n")
        if lines.count > shown.count {
            quoted += "\n" + pad + Messages.text("… {count} more lines", ["count": String(lines.count - shown.count)])
        }
        return quoted
    }

    /// At most this many lines of one message are shown.
    static let maxQuotedLines = 60

    /// `text` with every control character but newline and tab shown as `^X` (a carriage
    /// return or an escape sequence could otherwise overwrite the grader's lines).
    static func sanitized(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "^" + String(UnicodeScalar(UInt8((scalar.value + 0x40) & 0x7F)))
            } else if (0x80..<0xA0).contains(scalar.value) || (0x2028...0x2029).contains(scalar.value)
                        || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
