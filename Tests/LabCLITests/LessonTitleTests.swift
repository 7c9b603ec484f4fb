import Foundation
import LabScript
import LabSupport
import Notebook
import SelfSupervised
import XCTest
@testable import LabBuiltins
@testable import LabCLI

/// One source of lesson titles: the lesson files. Builtins, the methods' map and the
/// exercises cite lessons by number; every number names a lesson file, and no title is
/// written anywhere else in the sources.
final class LessonTitleTests: XCTestCase {
    static var catalog: LessonCatalog {
        get throws { try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons")) }
    }

    func testEveryCitedLessonNumberIsALessonFile() throws {
        let numbers = Set(try Self.catalog.lessons.compactMap(\.number))
        XCTAssertEqual(numbers, Set(0...8))
        let registry = BuiltinContext(output: BufferOutputSink()).registry
        let cited = registry.functions.compactMap(\.lesson)
        XCTAssertGreaterThan(cited.count, 100)
        for entry in registry.functions {
            if let lesson = entry.lesson { XCTAssertTrue(numbers.contains(lesson), "\(entry.name): lesson \(lesson)") }
        }
        for entry in TrainingMethods.all {
            if let lesson = entry.lesson { XCTAssertTrue(numbers.contains(lesson), "\(entry.name): lesson \(lesson)") }
        }
        let exercises = LessonRunTests.root.appendingPathComponent("Lessons/Exercises")
        let (listings, problems) = ExerciseCatalog.list(directory: exercises, progress: ExerciseProgress())
        XCTAssertEqual(problems, [])
        for listing in listings {
            let lesson = try XCTUnwrap(listing.lesson, listing.key)
            XCTAssertEqual(listing.lessonTitle, try Self.catalog.lessons.first { $0.number == lesson }?.title, listing.key)
        }
    }

    /// Help shows the title the lesson file gives, through `LessonTitles`.
    func testHelpShowsTheLessonFilesTitle() throws {
        let titles = try Self.catalog.titles
        LessonTitles.setSource { titles }
        defer { LessonTitles.setSource { [:] } }
        let registry = BuiltinContext(output: BufferOutputSink()).registry
        let train = try XCTUnwrap(registry.function(named: "nt_xent"))
        let lesson = try XCTUnwrap(train.lesson)
        let help = BuiltinDocumentation.helpText(train)
        XCTAssertTrue(help.contains("Lesson: " + (titles[lesson] ?? "?")), help)
    }

    /// Under `--lang zh` help's "Lesson:" line names the Chinese twin's title; English is unchanged.
    func testHelpShowsTheChineseTwinsTitleInChinese() throws {
        let english = try Self.catalog.titles
        let chinese = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons/zh")).titles
        XCTAssertEqual(Set(chinese.keys), Set(english.keys), "every lesson has a Chinese twin with a title")
        let saved = Messages.language
        LessonTitles.setSource(byLanguage: { $0 == .en ? english : chinese })
        defer {
            Messages.language = saved
            LessonTitles.setSource { [:] }
        }
        let entry = try XCTUnwrap(BuiltinContext(output: BufferOutputSink()).registry.function(named: "nt_xent"))
        let lesson = try XCTUnwrap(entry.lesson)
        let title = try XCTUnwrap(chinese[lesson])
        XCTAssertTrue(title.contains { LineBreak.isWide($0) }, title)
        Messages.language = .zh
        let help = BuiltinDocumentation.helpText(entry, width: 200)
        XCTAssertTrue(help.contains("  课程：" + title), help)
        XCTAssertEqual(LessonTitles.title(lesson), title)
        XCTAssertEqual(LessonTitles.title(99), "99")
        Messages.language = .en
        XCTAssertTrue(BuiltinDocumentation.helpText(entry, width: 200).contains("  Lesson: " + (english[lesson] ?? "?")))
        XCTAssertEqual(LessonTitles.title(lesson), english[lesson])
    }

    /// No lesson's title (nor the old, shorter titles) is written into a source file: a
    /// copy would drift from the lesson.
    func testNoTitleIsCopiedIntoTheSources() throws {
        let titles = try Self.catalog.titles.values.map { $0 }
        let sources = LessonRunTests.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for title in titles + ["4. Contrastive learning\"", "7. Positives only, and clustering"] {
                XCTAssertFalse(text.contains(title), "\(url.lastPathComponent) copies the title \(title)")
            }
        }
    }
}
