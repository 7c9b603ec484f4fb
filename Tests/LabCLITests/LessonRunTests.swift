import ArgumentParser
import Foundation
import LabBuiltins
import LabScript
import Notebook
import XCTest
@testable import LabCLI

/// Every lesson in `Lessons/` runs with `--quick` and every expectation in it holds.
final class LessonRunTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testEveryLessonRunsQuickAndItsClaimsHold() throws {
        let catalog = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons"))
        XCTAssertFalse(catalog.lessons.isEmpty)
        for lesson in catalog.lessons {
            let session = ScriptSession(.init(seed: BuiltinState.defaultSeed, quick: true), output: BufferOutputSink())
            var text = ""
            let start = Date()
            let run = LessonCommand.run(lesson, session: session, scope: nil, step: false) { text += $0 }
            let seconds = Date().timeIntervalSince(start)
            XCTAssertEqual(run.exitStatus, 0, "lesson \(lesson.name) failed:\n\(text.suffix(3000))")
            XCTAssertEqual(run.outcome, .completed, lesson.name)
            print("lesson \(lesson.name): \(String(format: "%.1f", seconds)) s with --quick")
        }
    }

    func testAFailedExpectationNamesTheCellAndLineAndExitsOne() throws {
        let text = """
            # %% [markdown]
            # # 99. A lesson that fails
            # %%
            x = 1
            # %%
            expect(x == 2, "x is two")
            """
        let lesson = try Lesson(parsing: text, file: "99-fails.lab")
        let session = ScriptSession(.init(seed: 0, quick: true), output: BufferOutputSink())
        var output = ""
        let run = LessonCommand.run(lesson, session: session, scope: nil, step: false) { output += $0 }
        XCTAssertEqual(run.exitStatus, 1)
        XCTAssertTrue(output.contains("error: cell 3 failed at 99-fails.lab:6"), output)
        XCTAssertTrue(output.contains("x is two"), output)
    }

    func testShownImagesAndFinalChartsBecomeFiguresForExport() throws {
        let text = """
            # %% [markdown]
            # # 97. Pictures
            # %%
            show(rand(2, 3, 4, 4), title: "two images")
            print("between")
            plot([3, 2, 1], title: "loss")
            """
        let lesson = try Lesson(parsing: text, file: "97-pictures.lab")
        let session = ScriptSession(.init(seed: 0, quick: true), output: BufferOutputSink())
        var printed = ""
        let run = LessonCommand.run(lesson, session: session, scope: nil, step: false) { printed += $0 }
        XCTAssertEqual(run.exitStatus, 0, printed)
        let outputs = run.records.flatMap(\.outputs)
        let figures = outputs.compactMap { output -> Figure? in
            if case .image(let figure) = output { return figure }
            return nil
        }
        XCTAssertEqual(figures.map(\.title), ["two images", "loss"])
        XCTAssertTrue(figures.allSatisfy { $0.svg.hasPrefix("<svg") || $0.svg.hasPrefix("<?xml") }, "\(figures.map { $0.svg.prefix(40) })")
        XCTAssertTrue(printed.contains("two images") && printed.contains("between"), printed)
        // show() no longer prints straight to the session output once the cell is done.
        XCTAssertNil(session.context.state.figureSink)
    }

    func testALessonInTheREPLLeavesItsVariables() throws {
        let lessonText = """
            # %% [markdown]
            # # 98. Tiny
            # %%
            answer = 6 * 7
            """
        let lesson = try Lesson(parsing: lessonText, file: "98-tiny.lab")
        let session = ScriptSession(.init(seed: 0, quick: true), output: BufferOutputSink())
        let scope = session.interpreter.makeScope()
        _ = LessonCommand.run(lesson, session: session, scope: scope, step: false) { _ in }
        guard case .number(let value)? = scope.lookup("answer") else { return XCTFail("no variable left") }
        XCTAssertEqual(value, 42)
    }

    func testRunCommandExitStatuses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.lab").path
        let bad = dir.appendingPathComponent("bad.lab").path
        try "x = 1 + 1\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "expect(1 == 2, \"one is two\")\n".write(toFile: bad, atomically: true, encoding: .utf8)
        func run(_ arguments: [String]) throws {
            var command = try SelfSupCommand.parseAsRoot(arguments)
            try command.run()
        }
        XCTAssertNoThrow(try run(["run", good]))
        XCTAssertThrowsError(try run(["run", bad])) { error in
            XCTAssertEqual((error as? ExitCode)?.rawValue, 1)
        }
        XCTAssertThrowsError(try run(["run", dir.path + "/missing.lab"])) { error in
            XCTAssertEqual((error as? ExitCode)?.rawValue, 2)
        }
    }
}
