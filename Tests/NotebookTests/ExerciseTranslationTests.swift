import Foundation
import LabScript
import LabSupport
import XCTest
@testable import Notebook

/// The Chinese exercises: a translated twin of each hand-out (`Lessons/Exercises/zh/`) and
/// of its teacher's tests (`Lessons/Exercises/tests/zh/`), held to the English program by
/// `LessonTranslation.drift`, with every test name in the catalogue (`zh.po`); and a
/// Chinese hand-in graded exactly as the English one, in Chinese.
final class ExerciseTranslationTests: XCTestCase {
    typealias S = GraderTestSupport

    /// The English exercises, by key (`04-collapse-detector`).
    static func englishExercises() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: S.exercises.path)
            .filter { $0.hasSuffix(".lab") }.map { String($0.dropLast(4)) }.sorted()
    }

    static func hiddenTests(_ key: String) -> URL { S.exercises.appendingPathComponent("tests/\(key).tests.lab") }

    /// The exercises with a Chinese hand-out.
    static func translated() throws -> [String] {
        try englishExercises().filter {
            LessonTranslation.inLanguage(S.exercises.appendingPathComponent("\($0).lab"), .zh).path.contains("/zh/")
        }
    }

    /// Each Chinese hand-out and tests file is its English file's program (same cells,
    /// metadata and code; strings, comments and prose aside), a translated hand-out has
    /// its translated tests, and every test name of it has a Chinese entry with the same
    /// placeholders.
    func testEveryTranslatedExerciseIsItsEnglishProgramWithItsNamesInTheCatalogue() throws {
        let translated = try Self.translated()
        XCTAssertFalse(translated.isEmpty, "no exercise has a Chinese twin")
        let zh = Messages.catalogue(.zh).translations
        for key in translated {
            var files = [S.exercises.appendingPathComponent("\(key).lab")]
            if FileManager.default.fileExists(atPath: Self.hiddenTests(key).path) { files.append(Self.hiddenTests(key)) }
            for english in files {
                let twinURL = try XCTUnwrap(LessonTranslation.twinURL(ofFile: english, in: .zh))
                guard FileManager.default.fileExists(atPath: twinURL.path) else {
                    XCTFail("\(key) has a Chinese hand-out but no \(twinURL.lastPathComponent) in tests/zh")
                    continue
                }
                let drift = LessonTranslation.drift(english: try Lesson(contentsOf: english), twin: try Lesson(contentsOf: twinURL))
                XCTAssertEqual(drift, [], "zh/\(twinURL.lastPathComponent) drifted from its English file:\n"
                    + drift.joined(separator: "\n"))
                for cell in try NotebookDocument(contentsOf: english).cells where cell.kind == .test {
                    let name = try XCTUnwrap(cell.metadata["name"])
                    guard let chinese = zh[name] else { XCTFail("\(key): no Chinese for test name \"\(name)\""); continue }
                    XCTAssertEqual(POCatalog.placeholders(chinese).sorted(), POCatalog.placeholders(name).sorted(), name)
                    XCTAssertTrue(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
                                  "\(key): \"\(chinese)\" is not Chinese")
                }
            }
        }
        let untranslated = try Self.englishExercises().filter { !translated.contains($0) }
        print("exercises not yet translated into Chinese: " + untranslated.joined(separator: ", "))
    }

    /// A file in a `zh` folder that is no English file's twin would never be used.
    func testEveryTwinHasAnEnglishFile() throws {
        for folder in [S.exercises, S.exercises.appendingPathComponent("tests")] {
            let zh = folder.appendingPathComponent("zh")
            guard FileManager.default.fileExists(atPath: zh.path) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: zh.path) where name.hasSuffix(".lab") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path),
                              "\(zh.path)/\(name) has no English file")
            }
        }
    }

    /// A Chinese learner's hand-in (the Chinese hand-out with their code in its exercise
    /// cells) of exercise 04, graded in Chinese: the solution full marks, a wrong solution
    /// the same marks test by test as its English hand-in; the report, test names, the
    /// checks' messages and the hints in Chinese.
    func testAChineseHandInIsGradedAsTheEnglishOneInChinese() throws {
        let key = "04-collapse-detector"
        let saved = Messages.language
        defer { Messages.language = saved }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zh-hand-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let handOut = try NotebookDocument(contentsOf: try XCTUnwrap(
            LessonTranslation.twinURL(ofFile: S.exercises.appendingPathComponent("\(key).lab"), in: .zh)))

        func grade(_ file: URL, in language: Language) throws -> GradeReport {
            Messages.language = language
            let outcome = GradeCommand.run(GradeRequest(file: file, options: GraderExerciseTests.options,
                                                        exercisesDirectory: S.exercises))
            return try XCTUnwrap(outcome.report, outcome.text)
        }
        /// The Chinese hand-out with the exercise cells of `answer`.
        func chineseHandIn(of answer: URL) throws -> URL {
            let code = Dictionary(uniqueKeysWithValues: try NotebookDocument(contentsOf: answer).cells
                .filter { $0.kind == .exercise }.map { ($0.metadata["id"] ?? "", $0.source) })
            let cells = handOut.cells.map { cell -> Cell in
                guard cell.kind == .exercise, let source = code[cell.metadata["id"] ?? ""] else { return cell }
                var answered = cell
                answered.source = source
                return answered
            }
            let url = folder.appendingPathComponent("\(key).lab")
            try PercentFormatWriter.text(of: cells).write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        func marks(_ report: GradeReport) -> [String] { report.tests.map { "\($0.name) \($0.points)/\($0.maxPoints)" } }

        let solution = S.exercises.appendingPathComponent("solutions/\(key).lab")
        let chineseSolution = try grade(try chineseHandIn(of: solution), in: .zh)
        XCTAssertTrue(chineseSolution.isFullMarks, chineseSolution.humanText())
        XCTAssertEqual(marks(chineseSolution), marks(try grade(solution, in: .en)))
        Messages.language = .zh
        let text = chineseSolution.humanText()
        XCTAssertTrue(chineseSolution.officialFile?.hasSuffix("Exercises/zh/\(key).lab") ?? false, text)
        XCTAssertTrue(text.contains("得分：\(chineseSolution.maxScore)/\(chineseSolution.maxScore)"), text)
        for test in chineseSolution.tests {
            // A name wider than the report's column wraps over lines: compared without spaces.
            XCTAssertTrue(text.filter { !$0.isWhitespace }.contains(Messages.text(test.name, language: .zh).filter { !$0.isWhitespace }),
                          "\(test.name) in Chinese in\n\(text)")
        }

        let wrong = S.fixtures.appendingPathComponent("\(key).no-centring.lab")
        let english = try grade(wrong, in: .en)
        let chinese = try grade(try chineseHandIn(of: wrong), in: .zh)
        XCTAssertEqual(marks(chinese), marks(english))
        XCTAssertGreaterThan(chinese.score, 0)
        XCTAssertFalse(chinese.isFullMarks)
        let failed = chinese.tests.filter { !$0.passed }
        XCTAssertFalse(failed.isEmpty)
        for test in failed {
            XCTAssertTrue(test.message.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) },
                          "\(test.name): \(test.message)")
        }
        XCTAssertNotEqual(chinese.tests.map(\.message), english.tests.map(\.message))

        let store = ProgressStore(directory: folder.appendingPathComponent("progress"))
        let official = LessonTranslation.inLanguage(S.exercises.appendingPathComponent("\(key).lab"), .zh)
        Messages.language = .zh
        let hint = try ExerciseHints.next(file: official, store: store)
        XCTAssertTrue(hint.text.hasPrefix("提示 1/"), hint.text)
        XCTAssertEqual(hint.markdown, try ExerciseFile(contentsOf: official).hints.first?.source)
        XCTAssertEqual(try store.load().exercises[key]?.hintsSeen, 1, "hints are recorded under the English key")
    }
}
