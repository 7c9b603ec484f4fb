import Foundation
import LabBuiltins
import LabScript
import Notebook
import XCTest
@testable import LabCLI

/// Lesson 2 exists, and the builtins it introduces point to it.
final class MaskedPredictionLessonTests: XCTestCase {
    func testTheBuiltinsOfLessonTwoPointToIt() throws {
        let catalog = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons"))
        XCTAssertNotNil(catalog.lessons.first { $0.number == 2 }?.title, "Lessons/02-*.lab is missing or has no title")
        let registry = BuiltinContext(output: BufferOutputSink()).registry
        let pointing = registry.functions.filter { $0.lesson == 2 }
        XCTAssertGreaterThanOrEqual(pointing.count, 15, pointing.map(\.name).joined(separator: ", "))
        for name in ["embedding", "transformer_block", "attention_weights", "cross_entropy", "tokens"] {
            XCTAssertEqual(registry.function(named: name)?.lesson, 2, name)
        }
    }
}
