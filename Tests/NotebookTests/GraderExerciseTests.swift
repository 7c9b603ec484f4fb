import Foundation
import LabScript
import XCTest
@testable import Notebook

/// Every exercise in Lessons/Exercises, graded with its teacher's tests and every builtin:
/// the starter scores 0, the reference solution full marks, and plausible wrong solutions
/// (GraderFixtures) partial marks with a message that names the mistake.
final class GraderExerciseTests: XCTestCase {
    typealias S = GraderTestSupport

    static let options = GraderOptions(testTimeLimit: 10, learnerCellTimeLimit: 10)

    /// Grades `file` as a hand-in of `exercise`: its exercise cells, the official file's
    /// other cells and visible tests, and the exercise's hidden tests.
    func grade(_ exercise: String, file: URL) throws -> GradeReport {
        let tests = S.exercises.appendingPathComponent("tests/\(exercise).tests.lab")
        let official = try ExerciseFile(contentsOf: starter(exercise))
        let merged = try ExerciseFile.handIn(try NotebookDocument(handIn: file), official: official)
            .merging(hiddenTests: try NotebookDocument(contentsOf: tests))
        return Grader(options: GraderExerciseTests.options, makeSession: ScriptSession.standard).grade(merged)
    }

    func starter(_ exercise: String) -> URL { S.exercises.appendingPathComponent("\(exercise).lab") }
    func solution(_ exercise: String) -> URL { S.exercises.appendingPathComponent("solutions/\(exercise).lab") }
    func fixture(_ name: String) -> URL { S.fixtures.appendingPathComponent(name) }

    /// The three claims for one exercise; returns the wrong solution's report for more checks.
    @discardableResult
    func check(_ exercise: String, wrong: String, expectedMessage: String,
               file: StaticString = #filePath, line: UInt = #line) throws -> GradeReport {
        let start = try grade(exercise, file: starter(exercise))
        XCTAssertEqual(start.score, 0, "starter of \(exercise):\n" + start.humanText(), file: file, line: line)
        XCTAssertGreaterThanOrEqual(start.tests.count, 5, file: file, line: line)
        XCTAssertTrue(start.tests.allSatisfy { !$0.passed })
        XCTAssertTrue(start.tests.contains { $0.message.contains("not done yet: ") }, file: file, line: line)

        let reference = try grade(exercise, file: solution(exercise))
        XCTAssertTrue(reference.isFullMarks, "solution of \(exercise):\n" + reference.humanText(), file: file, line: line)
        XCTAssertTrue(reference.learnerErrors.isEmpty, file: file, line: line)
        // No learner function may share a name with a builtin: tests would see the builtin.
        XCTAssertEqual(reference.shadowedNames, [], file: file, line: line)

        let mistaken = try grade(exercise, file: fixture(wrong))
        XCTAssertGreaterThan(mistaken.score, 0, "\(wrong):\n" + mistaken.humanText(), file: file, line: line)
        XCTAssertLessThan(mistaken.score, mistaken.maxScore, "\(wrong):\n" + mistaken.humanText(), file: file, line: line)
        XCTAssertTrue(mistaken.tests.contains { !$0.passed && $0.message.contains(expectedMessage) },
                      "\(wrong) should say '\(expectedMessage)':\n" + mistaken.humanText(), file: file, line: line)
        return mistaken
    }

    func testEveryExerciseIsListedWithItsLessonAndPoints() throws {
        let (listings, problems) = ExerciseCatalog.list(directory: S.exercises, progress: ExerciseProgress())
        XCTAssertEqual(problems, [])
        let files = try FileManager.default.contentsOfDirectory(atPath: S.exercises.path)
            .filter { $0.hasSuffix(".lab") }.map { String($0.dropLast(4)) }.sorted()
        XCTAssertEqual(listings.map(\.key), files)
        XCTAssertTrue(Set(files).isSuperset(of: ["01-backward", "02-nt-xent", "03-barlow-twins", "04-collapse-detector",
                                                 "05-augmentation", "12-few-labels", "13-break-it"]))
        XCTAssertTrue(listings.allSatisfy { $0.lesson != nil && $0.points > 0 && $0.hintCount >= 1 && $0.state == .notStarted })
        XCTAssertEqual(listings[1].title, "2. NT-Xent from primitives")
        XCTAssertEqual(listings[1].lesson, 4)
        XCTAssertEqual(listings[1].lessonTitle, "4. Contrastive learning as dictionary look-up")
        XCTAssertEqual(listings[1].points, 11, "visible and hidden points, as grade scores it")
        for listing in listings {
            let tests = S.exercises.appendingPathComponent("tests/\(listing.key).tests.lab")
            let hidden = try ExerciseFile(contentsOf: listing.file).merging(hiddenTests: try NotebookDocument(contentsOf: tests))
            XCTAssertGreaterThanOrEqual(hidden.tests.filter(\.isHidden).count, 3, listing.key)
        }
    }

    func testBackwardByHand() throws {
        try check("01-backward", wrong: "01-backward.no-mean.lab",
                  expectedMessage: "your gradient is n·k = 8 times too large: the loss is a mean, so divide by n·k")
    }

    func testNTXentFromPrimitives() throws {
        try check("02-nt-xent", wrong: "02-nt-xent.no-normalize.lab",
                  expectedMessage: "scaling z1 by 3 changed the loss: NT-Xent compares directions, so L2-normalise the embeddings first")
        let selfIncluded = try grade("02-nt-xent", file: fixture("02-nt-xent.self-in-denominator.lab"))
        XCTAssertTrue((1..<selfIncluded.maxScore).contains(selfIncluded.score), selfIncluded.humanText())
        XCTAssertTrue(selfIncluded.tests.contains { $0.message.contains("your denominator includes each embedding's similarity with itself") },
                      selfIncluded.humanText())
    }

    func testBarlowTwinsFromPrimitives() throws {
        try check("03-barlow-twins", wrong: "03-barlow-twins.n-minus-1.lab",
                  expectedMessage: "diag(C(z, z)) is n / (n − 1): you divided by n − 1")
    }

    func testCollapseDetector() throws {
        try check("04-collapse-detector", wrong: "04-collapse-detector.no-normalize.lab",
                  expectedMessage: "scaling z by 10 changed normalized_std: L2-normalise each embedding (row) first")
        let uncentred = try grade("04-collapse-detector", file: fixture("04-collapse-detector.no-centring.lab"))
        XCTAssertTrue((1..<uncentred.maxScore).contains(uncentred.score), uncentred.humanText())
        XCTAssertTrue(uncentred.tests.contains { $0.message.contains("centre z (subtract the batch mean) first") }, uncentred.humanText())
    }

    func testAugmentationInvariants() throws {
        try check("05-augmentation", wrong: "05-augmentation.vertical-flip.lab",
                  expectedMessage: "you flipped the rows (a vertical flip): reverse the last axis, the width")
        let unclipped = try grade("05-augmentation", file: fixture("05-augmentation.no-clip.lab"))
        XCTAssertTrue((1..<unclipped.maxScore).contains(unclipped.score), unclipped.humanText())
        XCTAssertTrue(unclipped.tests.contains { $0.message.contains("values must stay in [0, 1]: clip after scaling") },
                      unclipped.humanText())
    }

    func testShiftAndShortcuts() throws {
        try check("08-shift-and-shortcuts", wrong: "08-shift-and-shortcuts.self-neighbour.lab",
                  expectedMessage: "leave each row itself out")
        let wrapped = try grade("08-shift-and-shortcuts", file: fixture("08-shift-and-shortcuts.wrap-around.lab"))
        XCTAssertTrue((1..<wrapped.maxScore).contains(wrapped.score), wrapped.humanText())
    }

    func testFewLabelsProbeAgainstScratch() throws {
        try check("12-few-labels", wrong: "12-few-labels.no-zscore.lab",
                  expectedMessage: "z-score the features first")
        let trainAccuracy = try grade("12-few-labels", file: fixture("12-few-labels.train-accuracy.lab"))
        XCTAssertTrue((1..<trainAccuracy.maxScore).contains(trainAccuracy.score), trainAccuracy.humanText())
        XCTAssertTrue(trainAccuracy.tests.contains { $0.message.contains("Measure on test_data") }, trainAccuracy.humanText())
    }

    func testBreakItByOneChange() throws {
        let twoChanges = try check("13-break-it", wrong: "13-break-it.two-changes.lab",
                                   expectedMessage: "you changed 2 settings (mu, nu): change exactly one")
        // Both changes together do collapse: only the one-change test fails.
        XCTAssertEqual(twoChanges.tests.filter { !$0.passed }.map(\.name), ["exactly one setting changed"], twoChanges.humanText())
        let uncentred = try grade("13-break-it", file: fixture("13-break-it.uncentred-rank.lab"))
        XCTAssertTrue((1..<uncentred.maxScore).contains(uncentred.score), uncentred.humanText())
        XCTAssertTrue(uncentred.tests.contains { $0.message.contains("centre the outputs") }, uncentred.humanText())
    }

    /// Grades a notebook hand-in as `selfsup grade work.ipynb` does: the official exercise
    /// found in Lessons/Exercises from the notebook alone, its hidden tests added.
    func gradeNotebook(_ notebook: LearnerNotebook, in directory: URL) throws -> GradeReport {
        let url = directory.appendingPathComponent("work.ipynb")
        try notebook.write(to: url)
        let outcome = GradeCommand.run(GradeRequest(file: url, options: GraderExerciseTests.options,
                                                    exercisesDirectory: S.exercises))
        return try XCTUnwrap(outcome.report, outcome.text)
    }

    /// Data-driven, over every exercise in the folder: the starter scores 0, the reference
    /// solution full marks, and every plausible wrong solution in `wrong/` (the tamper
    /// fixtures aside, which GraderTamperTests grade) partial marks. Each is also pasted
    /// into the exercise's exported notebook, as a learner works in Jupyter, and the
    /// notebook scores exactly what the `.lab` file scores, test by test; so does the
    /// first wrong solution's notebook with every other cell and its metadata tampered with.
    func testEveryExerciseStarterSolutionAndWrongSolutionsAsLabAndNotebook() throws {
        let tamper: Set<String> = ["constant-loss", "endless-loop", "parse-error", "tamper"]
        let wrongFiles = try FileManager.default.contentsOfDirectory(atPath: S.fixtures.path).filter { $0.hasSuffix(".lab") }
        let (listings, _) = ExerciseCatalog.list(directory: S.exercises, progress: ExerciseProgress())
        let directory = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var table = ["exercise | starter lab/ipynb | reference lab/ipynb | wrong: lab/ipynb | tampered wrong ipynb"]
        for listing in listings {
            let exported = try LearnerNotebook(exported: starter(listing.key))
            // The `.lab` hand-in's report (unless already graded), and that of the notebook
            // with its cells pasted in.
            func both(_ file: URL, tampered: Bool = false,
                      graded lab: GradeReport? = nil) throws -> (lab: GradeReport, notebook: GradeReport) {
                let lab = try lab ?? grade(listing.key, file: file)
                var notebook = exported
                try notebook.paste(exerciseCellsOf: file)
                if tampered { try notebook.tamper(reference: solution(listing.key)) }
                let graded = try gradeNotebook(notebook, in: directory)
                XCTAssertEqual(graded.officialFile, starter(listing.key).path, file.lastPathComponent)
                XCTAssertEqual(graded.tests.map(\.name), lab.tests.map(\.name), file.lastPathComponent)
                XCTAssertEqual(graded.tests.map(\.passed), lab.tests.map(\.passed),
                               "\(file.lastPathComponent) as a notebook\(tampered ? ", tampered" : ""):\n"
                               + graded.humanText() + "\nas .lab:\n" + lab.humanText())
                XCTAssertEqual(graded.maxScore, lab.maxScore, file.lastPathComponent)
                return (lab, graded)
            }
            func scores(_ pair: (lab: GradeReport, notebook: GradeReport)) -> String {
                "\(pair.lab.score)/\(pair.notebook.score)"
            }
            let start = try both(starter(listing.key))
            XCTAssertEqual(start.lab.score, 0, "starter of \(listing.key):\n" + start.lab.humanText())
            let reference = try both(solution(listing.key))
            XCTAssertTrue(reference.lab.isFullMarks, "solution of \(listing.key):\n" + reference.lab.humanText())
            let mistakes = wrongFiles.filter { name in
                let parts = name.split(separator: ".")
                return parts.count == 3 && parts[0] == listing.key && !tamper.contains(String(parts[1]))
            }.sorted()
            XCTAssertFalse(mistakes.isEmpty, "\(listing.key) needs at least one plausible wrong solution in wrong/")
            var wrongScores: [String] = []
            var firstWrong: GradeReport?
            for name in mistakes {
                let report = try both(fixture(name))
                firstWrong = firstWrong ?? report.lab
                XCTAssertTrue((1..<report.lab.maxScore).contains(report.lab.score), "\(name):\n" + report.lab.humanText())
                wrongScores.append("\(name.split(separator: ".")[1]) \(scores(report))")
            }
            let first = try XCTUnwrap(mistakes.first)
            let tampered = try both(fixture(first), tampered: true, graded: firstWrong)
            table.append("\(listing.key) | \(scores(start)) | \(scores(reference)) of \(reference.lab.maxScore) | "
                         + wrongScores.joined(separator: ", ") + " | \(tampered.notebook.score) (\(first.split(separator: ".")[1]))")
        }
        print(table.joined(separator: "\n"))
    }
}
