import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

/// `Lessons/zh/GLOSSARY.md` holds the Chinese lessons' terms; the twins use them.
final class GlossaryTests: XCTestCase {
    static var lessons: URL { LessonTranslationTests.lessons }

    /// The glossary's terms in the lessons: when a row's English term (any of its forms) is in
    /// the prose of an English lesson with a twin, the row's Chinese term is in the twin's prose.
    func testTheGlossarysTermsAreTheTwinsTerms() throws {
        let rows = try Self.glossary()
        XCTAssertGreaterThan(rows.count, 20)
        var missing: [String] = []
        for (english, twin) in try LessonTranslationTests.twins() {
            let englishProse = Self.normalised(Self.prose(english))
            let twinProse = Self.prose(twin)
            for row in rows where row.english.contains(where: { Self.containsTerm(englishProse, Self.normalised($0)) }) {
                if !twinProse.contains(row.chinese) {
                    missing.append("lesson \(twin.number ?? -1): '\(row.english.joined(separator: " / "))' without '\(row.chinese)'")
                }
            }
        }
        XCTAssertEqual(missing, [], missing.joined(separator: "\n"))
    }

    /// The rule itself: whole words, plural or not, hyphen or space alike.
    func testAGlossaryTermMatchesWholeWords() {
        XCTAssertTrue(Self.containsTerm(Self.normalised("A joint-embedding network"), "joint embedding"))
        XCTAssertTrue(Self.containsTerm(Self.normalised("two random views"), "view"))
        XCTAssertFalse(Self.containsTerm(Self.normalised("a review of it"), "view"))
        XCTAssertFalse(Self.containsTerm(Self.normalised("the viewer"), "view"))
    }

    /// The rows of `Lessons/zh/GLOSSARY.md`: English forms (split at ` / `) and the Chinese term.
    static func glossary() throws -> [(english: [String], chinese: String)] {
        let text = try String(contentsOf: lessons.appendingPathComponent("zh/GLOSSARY.md"), encoding: .utf8)
        var rows: [(english: [String], chinese: String)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, cells[0] != "English", !cells[0].hasPrefix("---") else { continue }
            rows.append((cells[0].components(separatedBy: " / "), cells[1]))
        }
        return rows
    }

    static func prose(_ lesson: Lesson) -> String {
        lesson.cells.filter { $0.kind.isProse }.map(\.source).joined(separator: "\n")
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "-", with: " ")
    }

    static func containsTerm(_ text: String, _ term: String) -> Bool {
        let pattern = "\\b" + NSRegularExpression.escapedPattern(for: term) + "s?\\b"
        return text.range(of: pattern, options: .regularExpression) != nil
    }

}
