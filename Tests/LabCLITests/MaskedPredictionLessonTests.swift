import Foundation
import LabBuiltins
import LabScript
import Notebook
import XCTest
@testable import LabCLI

/// Lesson 2 exists under the title its builtins point to.
final class MaskedPredictionLessonTests: XCTestCase {
    func testTheBuiltinsOfLessonTwoPointToItsTitle() throws {
        let catalog = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons"))
        let lesson = try XCTUnwrap(catalog.lessons.first { $0.number == 2 }, "Lessons/02-*.lab is missing")
        let title = try XCTUnwrap(lesson.title)
        let registry = BuiltinContext(output: BufferOutputSink()).registry
        let pointing = registry.functions.filter { $0.lesson?.hasPrefix("2.") == true }
        XCTAssertGreaterThanOrEqual(pointing.count, 15, pointing.map(\.name).joined(separator: ", "))
        for entry in pointing { XCTAssertEqual(entry.lesson, title, entry.name) }
        for name in ["embedding", "transformer_block", "attention_weights", "cross_entropy", "tokens"] {
            XCTAssertEqual(registry.function(named: name)?.lesson, title, name)
        }
    }
}
