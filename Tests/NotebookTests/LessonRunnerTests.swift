import XCTest
@testable import Notebook

final class LessonRunnerTests: XCTestCase {
    func testRunsEveryCellAndPrintsForTheTerminal() throws {
        let lesson = try Lesson(parsing: fakeLessonText, file: "00-tour.lab")
        let executor = FakeExecutor()
        var screen = ""
        let runner = LessonRunner(executor: executor, options: .init(width: 40, colour: false)) { screen += $0 }
        let run = runner.run(lesson)

        XCTAssertEqual(run.outcome, .completed)
        XCTAssertEqual(run.exitStatus, 0)
        XCTAssertEqual(run.title, "0. A *tour*")
        XCTAssertEqual(executor.calls.map(\.firstLine), [6, 13])
        XCTAssertEqual(executor.calls.map(\.file), ["00-tour.lab", "00-tour.lab"])
        XCTAssertEqual(run.records.map(\.number), [1, 2, 4, 5])   // cell 3 is a hint
        XCTAssertEqual(run.records.map(\.executionCount), [nil, 1, 2, nil])
        XCTAssertEqual(run.records[1].outputs, [.text("hello\n"), .text("50%\r"), .text("\u{1B}[32m100%\u{1B}[0m\n")])
        XCTAssertEqual(screen, """
        0. A tour
        =========

        Prose with `code` & <angle> brackets.

        6 | print hello
        7 | progress
        hello
        50%\r\u{1B}[32m100%\u{1B}[0m

        13 | plot Loss over "training"
        14 | print done
        [plot: Loss over "training"]
        done

        The end.


        """)
    }

    func testStepCallbackBetweenCellsAndQuit() throws {
        let lesson = try Lesson(parsing: fakeLessonText, file: "00-tour.lab")
        var points: [StepPoint] = []
        var screen = ""
        let runner = LessonRunner(executor: FakeExecutor(), write: { screen += $0 }) { point in
            points.append(point)
            return .proceed
        }
        XCTAssertEqual(runner.run(lesson).outcome, .completed)
        XCTAssertEqual(points.map(\.finished), [1, 2, 4])
        XCTAssertEqual(points.map(\.next), [2, 4, 5])
        XCTAssertEqual(points.map(\.total), [5, 5, 5])

        let executor = FakeExecutor()
        var seen = 0
        let quitting = LessonRunner(executor: executor, write: { _ in }) { _ in
            seen += 1
            return seen == 2 ? .quit : .proceed
        }
        let run = quitting.run(lesson)
        XCTAssertEqual(run.outcome, .stopped(afterCell: 2))
        XCTAssertEqual(run.exitStatus, 0)
        XCTAssertEqual(executor.calls.count, 1)
        XCTAssertEqual(run.records.count, 2)
    }

    func testFailureStopsNamingCellAndLine() throws {
        let text = """
        # %%
        print one
        # %% [markdown]
        # Between.
        # %%
        print two

        fail expected embedding_std < 0.02
        print never
        # %%
        print never either
        """
        let executor = FakeExecutor()
        var screen = ""
        let runner = LessonRunner(executor: executor, options: .init(showCode: false)) { screen += $0 }
        let run = runner.run(try NotebookDocument(parsing: text, file: "03-collapse.lab"))

        XCTAssertEqual(run.outcome, .failed(cell: 3, line: 8, message: "expected embedding_std < 0.02"))
        XCTAssertEqual(run.exitStatus, 1)
        XCTAssertEqual(executor.calls.count, 2)
        XCTAssertEqual(run.records.map(\.number), [1, 2, 3])
        XCTAssertEqual(run.records[2].failure?.line, 8)
        XCTAssertEqual(screen, """
        one

        Between.

        two
        03-collapse.lab:8:1: error: expected embedding_std < 0.02
          fail expected embedding_std < 0.02
          ^
        error: cell 3 failed at 03-collapse.lab:8: expected embedding_std < 0.02

        """)
        XCTAssertFalse(screen.contains("never"))
    }

    func testStreamingExecutorOutputsArriveBeforeTheCellEnds() throws {
        final class Streaming: CellExecutor {
            var log: [String] = []
            func execute(code: String, file: String, firstLine: Int) -> CellResult {
                execute(code: code, file: file, firstLine: firstLine) { _ in }
            }
            func execute(code: String, file: String, firstLine: Int,
                         onOutput: (CellOutput) -> Void) -> CellResult {
                onOutput(.text("epoch 1\n"))
                log.append("after first chunk")
                onOutput(.text("epoch 2\n"))
                return CellResult(outputs: [.text("epoch 1\n"), .text("epoch 2\n")])
            }
        }
        let executor = Streaming()
        var screen = ""
        let runner = LessonRunner(executor: executor, options: .init(showCode: false)) { text in
            screen += text
            executor.log.append("wrote \(text.debugDescription)")
        }
        _ = runner.run(try NotebookDocument(parsing: "# %%\ntrain()\n", file: "f.lab"))
        XCTAssertEqual(Array(executor.log.prefix(2)), [#"wrote "epoch 1\n""#, "after first chunk"])
        XCTAssertEqual(screen, "epoch 1\nepoch 2\n\n")
    }
}
