import XCTest
@testable import Notebook

final class LessonAndExerciseTests: XCTestCase {
    func testLessonTitleNumberNameAndTimes() throws {
        let lesson = try Lesson(parsing: """
        # %%
        x = 1
        # %% [markdown] time=45s quick_time=4s
        # Some words first.
        #
        # ```
        # # not a heading (inside a fence)
        # ```
        #
        # ## 3. Mode collapse ##
        # %% [markdown]
        # # A later heading
        """, file: "Lessons/03-mode-collapse.lab")
        XCTAssertEqual(lesson.number, 3)
        XCTAssertEqual(lesson.name, "mode-collapse")
        XCTAssertEqual(lesson.title, "3. Mode collapse ##")
        XCTAssertEqual(lesson.expectedSeconds, 45)
        XCTAssertEqual(lesson.expectedQuickSeconds, 4)
    }

    func testLessonWithoutHeadingOrNumber() throws {
        let lesson = try Lesson(parsing: "print(1)\n", file: "scratch.lab")
        XCTAssertNil(lesson.number)
        XCTAssertEqual(lesson.name, "scratch")
        XCTAssertNil(lesson.title)
        XCTAssertNil(lesson.expectedSeconds)
        XCTAssertEqual(Lesson.numberAndName(fromFileName: "00-tour.lab").0, 0)
        XCTAssertEqual(Lesson.numberAndName(fromFileName: "00-tour.lab").1, "tour")
        XCTAssertNil(Lesson.numberAndName(fromFileName: "12-.lab").0)
        XCTAssertNil(Lesson.numberAndName(fromFileName: "12tour.lab").0)
    }

    func testCatalogLoadsSortsAndFinds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "# %% [markdown]\n# # Collapse\n".write(to: dir.appendingPathComponent("03-mode-collapse.lab"), atomically: true, encoding: .utf8)
        try "# %% [markdown]\n# # Tour\n".write(to: dir.appendingPathComponent("00-tour.lab"), atomically: true, encoding: .utf8)
        try "not a lesson".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "x = 1".write(to: dir.appendingPathComponent("scratch.lab"), atomically: true, encoding: .utf8)
        let catalog = try LessonCatalog(directory: dir)
        XCTAssertEqual(catalog.lessons.map(\.number), [0, 3])
        XCTAssertEqual(catalog.lessons.map(\.title), ["Tour", "Collapse"])
        XCTAssertEqual(catalog.lesson(named: "3")?.name, "mode-collapse")
        XCTAssertEqual(catalog.lesson(named: "03")?.name, "mode-collapse")
        XCTAssertEqual(catalog.lesson(named: "tour")?.number, 0)
        XCTAssertEqual(catalog.lesson(named: "03-mode-collapse.lab")?.number, 3)
        XCTAssertNil(catalog.lesson(named: "7"))

        try "# %% [weird]\n".write(to: dir.appendingPathComponent("04-broken.lab"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LessonCatalog(directory: dir)) { error in
            XCTAssertEqual((error as? NotebookFormatError)?.line, 1)
            XCTAssertEqual((error as? NotebookFormatError)?.reason, .unknownCellKind("weird"))
        }
    }

    let exercise = """
    # %% [markdown]
    # # NT-Xent from primitives
    # %%
    data = blobs(count: 64, seed: 1)
    # %% [exercise] id=nt-xent
    fn my_nt_xent(z1, z2, t = 0.5) {
        # todo( in a comment does not count; nor does "todo(" in a string
        return todo("cosine similarities, then cross-entropy")
    }
    # %% [hint]
    # Normalise the rows first.
    # %% [exercise] id=scale
    s = todo("scale") + todo("again")
    # %% [hint] exercise=nt-xent
    # The denominator sums over `2N - 1` terms.
    # %% [hint]
    # Multiply, don't add.
    # %% [test] points=2 name="matches nt_xent" timeout=5s
    expect_close(my_nt_xent(z1, z2), nt_xent(z1, z2))
    # %% [test] points=1 name="symmetric"
    expect_close(my_nt_xent(z1, z2), my_nt_xent(z2, z1))
    """

    func testExerciseStructure() throws {
        let file = try ExerciseFile(parsing: exercise, file: "Exercises/02-nt-xent.lab")
        XCTAssertEqual(file.exercises.map(\.id), ["nt-xent", "scale"])
        XCTAssertEqual(file.exercises.map(\.todoCount), [1, 2])
        XCTAssertEqual(file.exercises[0].hints.map(\.source),
                       ["Normalise the rows first.", "The denominator sums over `2N - 1` terms."])
        XCTAssertEqual(file.exercises[1].hints.map(\.source), ["Multiply, don't add."])
        XCTAssertEqual(file.hints.map(\.source), ["Normalise the rows first.",
                                                  "The denominator sums over `2N - 1` terms.",
                                                  "Multiply, don't add."])
        XCTAssertEqual(file.hint(at: 2)?.source, "Multiply, don't add.")
        XCTAssertNil(file.hint(at: 3))
        XCTAssertEqual(file.tests.map(\.name), ["matches nt_xent", "symmetric"])
        XCTAssertEqual(file.tests.map(\.points), [2, 1])
        XCTAssertEqual(file.tests.map(\.timeoutSeconds), [5, nil])
        XCTAssertEqual(file.tests[0].cell.firstLine, 19)
        XCTAssertEqual(file.maxPoints, 3)
        XCTAssertEqual(file.learnerCells.map(\.kind), [.code, .exercise, .exercise])
        XCTAssertFalse(file.tests.contains(where: \.isHidden))
    }

    func testStarterViewIsTheFileAsGiven() throws {
        let file = try ExerciseFile(parsing: exercise, file: "e.lab")
        let starter = file.starterText()
        XCTAssertEqual(starter, exercise)
        let again = try ExerciseFile(parsing: starter, file: "e.lab")
        XCTAssertEqual(again.document.cells.map(\.source), file.document.cells.map(\.source))
    }

    func testMergingHiddenTests() throws {
        let file = try ExerciseFile(parsing: exercise, file: "e.lab")
        let extra = try NotebookDocument(parsing: """
        # %% [markdown]
        # Teacher's checks.
        # %% [test] points=3 name="temperature matters"
        expect(true)
        """, file: "e.tests.lab")
        let merged = try file.merging(hiddenTests: extra)
        XCTAssertEqual(merged.tests.map(\.name), ["matches nt_xent", "symmetric", "temperature matters"])
        XCTAssertEqual(merged.tests.map(\.isHidden), [false, false, true])
        XCTAssertEqual(merged.tests[2].file, "e.tests.lab")
        XCTAssertEqual(merged.tests[2].cell.firstLine, 4)
        XCTAssertEqual(merged.maxPoints, 6)
        // Hidden tests never appear in the learner's view.
        XCTAssertEqual(merged.starterText(), file.starterText())
        XCTAssertFalse(merged.starterText().contains("temperature matters"))

        // A hidden test named like a visible one still runs: a visible name cannot block it.
        let clash = try NotebookDocument(parsing: "\n# %% [test] points=1 name=symmetric\n", file: "t.lab")
        let both = try file.merging(hiddenTests: clash)
        XCTAssertEqual(both.tests.filter { $0.name == "symmetric" }.map(\.isHidden), [false, true])
        let code = try NotebookDocument(parsing: "# %% [test] points=1 name=a\nx\n# %%\nprint(secret)\n", file: "t.lab")
        XCTAssertThrowsError(try file.merging(hiddenTests: code)) { error in
            XCTAssertEqual((error as? NotebookFormatError)?.line, 3)
            XCTAssertEqual((error as? NotebookFormatError)?.reason, .unexpectedCellInTestsFile(.code))
        }
    }

    func testExerciseFileNeedsExercisesAndTests() {
        XCTAssertThrowsError(try ExerciseFile(parsing: "# %% [test] points=1 name=a\nx\n", file: "e.lab")) { error in
            XCTAssertEqual((error as? NotebookFormatError)?.reason, .noExercises)
        }
        XCTAssertThrowsError(try ExerciseFile(parsing: "# %% [exercise] id=a\nx\n", file: "e.lab")) { error in
            XCTAssertEqual((error as? NotebookFormatError)?.reason, .noTests)
        }
    }
}
