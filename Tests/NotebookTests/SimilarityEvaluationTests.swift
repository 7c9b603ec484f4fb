import Foundation
import XCTest
@testable import Notebook

/// The similarity report on real classes of exercises 02 (NT-Xent) and 11 (VICReg): the
/// reference, the starter and the wrong solutions read from their files as the grader reads
/// them, six answers written independently (`SimilarityClassFixtures`, each graded here to
/// full marks) and disguised copies of the reference.
///
/// The numbers behind the defaults (k = 8, window 4, threshold 0.5): copies of the
/// reference (renamed, reordered, re-laid-out, or with two or three lines changed) score
/// 0.74–1.00 against it; among the independent answers, the reference and the starter the
/// highest score is 0.33 (0.30 with the wrong solutions in the class). k = 6, 10 or 12
/// narrowed that gap (k = 12: copies from 0.48), so k = 8 it is, and flagging from 0.5
/// leaves a margin on both sides.
final class SimilarityEvaluationTests: XCTestCase {
    typealias S = GraderTestSupport
    typealias F = SimilarityClassFixtures

    struct Exercise {
        var key: String
        var independent: [String: [String: String]]
        var disguised: [String: String]
        var edited: [String: String]
    }

    static let exercises = [
        Exercise(key: "02-nt-xent", independent: F.ntXent, disguised: F.ntXentDisguised, edited: F.ntXentEdited),
        Exercise(key: "11-vicreg", independent: F.vicreg, disguised: F.vicregDisguised, edited: F.vicregEdited),
    ]

    func official(_ key: String) throws -> ExerciseFile {
        try ExerciseFile(contentsOf: S.exercises.appendingPathComponent("\(key).lab"))
    }

    func read(_ url: URL, _ official: ExerciseFile, as student: String) throws -> SimilaritySubmission {
        try SimilaritySubmission.read(handIn: url, official: official, student: student)
    }

    /// The reference and the starter, read from their files.
    func referenceAndStarter(_ exercise: Exercise) throws -> [SimilaritySubmission] {
        let official = try official(exercise.key)
        return [try read(S.exercises.appendingPathComponent("solutions/\(exercise.key).lab"), official, as: "reference"),
                try read(S.exercises.appendingPathComponent("\(exercise.key).lab"), official, as: "starter")]
    }

    func independent(_ exercise: Exercise) -> [SimilaritySubmission] {
        exercise.independent.keys.sorted().map { SimilaritySubmission(student: $0, cells: exercise.independent[$0]!) }
    }

    func wrong(_ exercise: Exercise) throws -> [SimilaritySubmission] {
        let folder = S.exercises.appendingPathComponent("wrong")
        let official = try official(exercise.key)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(exercise.key + ".") }.sorted()
        XCTAssertFalse(names.isEmpty)
        return try names.map { try read(folder.appendingPathComponent($0), official, as: "wrong:" + $0) }
    }

    func test_independentAnswersAreCorrect() throws {
        for exercise in Self.exercises {
            let official = try official(exercise.key)
            let hidden = try NotebookDocument(contentsOf: S.exercises.appendingPathComponent("tests/\(exercise.key).tests.lab"))
            for (student, cells) in exercise.independent.sorted(by: { $0.key < $1.key }) {
                let handIn = NotebookDocument(file: "\(student).lab", cells: cells.sorted { $0.key < $1.key }.map {
                    Cell(kind: .exercise, metadata: CellMetadata([("id", $0.key)]), source: $0.value, markerLine: nil, firstLine: 1)
                })
                let merged = try ExerciseFile.handIn(handIn, official: official).merging(hiddenTests: hidden)
                let report = Grader(options: GraderExerciseTests.options, makeSession: ScriptSession.standard).grade(merged)
                XCTAssertTrue(report.isFullMarks, "\(exercise.key) by \(student):\n" + report.humanText())
            }
        }
    }

    /// (2) The reference, the starter and six independent answers: nothing is flagged.
    func test_independentAnswersAreNotFlagged() throws {
        for exercise in Self.exercises {
            let report = SimilarityReport.analyse(try referenceAndStarter(exercise) + independent(exercise),
                                                  starter: SimilarityReport.cells(of: try official(exercise.key)))
            XCTAssertEqual(report.allPairs.count, 28)
            XCTAssertEqual(report.pairs.map { "\($0.first)–\($0.second)" }, [], exercise.key)
            XCTAssertLessThan(report.allPairs[0].score, 0.4, "\(exercise.key): \(report.allPairs[0])")
        }
    }

    /// (2) With the wrong solutions in the class: no pair of an independent answer or the
    /// starter with anyone is flagged. The wrong solutions are each the reference with a
    /// line or two changed, so those sharing the reference's code are flagged among
    /// themselves, as (3) requires of such copies.
    func test_wrongSolutionsDoNotMakeIndependentAnswersAlike() throws {
        for exercise in Self.exercises {
            let starter = try referenceAndStarter(exercise)[1]
            let wrong = try wrong(exercise)
            let report = SimilarityReport.analyse([starter] + independent(exercise) + wrong,
                                                  starter: SimilarityReport.cells(of: try official(exercise.key)))
            for pair in report.pairs {
                XCTAssertTrue(pair.first.hasPrefix("wrong:") && pair.second.hasPrefix("wrong:"),
                              "\(exercise.key): \(pair.first)–\(pair.second) \(pair.score)")
            }
            let derived = exercise.key == "02-nt-xent"
                ? ("wrong:02-nt-xent.no-normalize.lab", "wrong:02-nt-xent.self-in-denominator.lab")
                : ("wrong:11-vicreg.biased-variance.lab", "wrong:11-vicreg.diagonal-counted.lab")
            XCTAssertTrue(report.pairs.contains { Set([$0.first, $0.second]) == Set([derived.0, derived.1]) }, exercise.key)
        }
    }

    /// (1) and (3): the disguised copy and the copy with lines changed are flagged against
    /// the reference (and each other), in a class with the independent answers and the starter.
    func test_copiesOfTheReferenceAreFlagged() throws {
        for exercise in Self.exercises {
            let copies = [SimilaritySubmission(student: "disguised", cells: exercise.disguised),
                          SimilaritySubmission(student: "edited", cells: exercise.edited)]
            let report = SimilarityReport.analyse(try referenceAndStarter(exercise) + independent(exercise) + copies,
                                                  starter: SimilarityReport.cells(of: try official(exercise.key)))
            let flagged = Set(report.pairs.map { [$0.first, $0.second].sorted().joined(separator: "–") })
            XCTAssertEqual(flagged, ["disguised–reference", "edited–reference", "disguised–edited"], exercise.key)
            for pair in report.pairs {
                XCTAssertGreaterThanOrEqual(pair.score, 0.65, "\(exercise.key): \(pair)")
                XCTAssertFalse(pair.regions.isEmpty)
            }
        }
    }

    /// The regions of the disguised 02 copy point at the right lines: its `similarities`
    /// cell holds the reference's loss function (the body is lines 3–13 of the reference's
    /// `loss` cell, after a comment and the signature).
    func test_regionsMapToTheMovedFunction() throws {
        let exercise = Self.exercises[0]
        let reference = try referenceAndStarter(exercise)[0]
        let report = SimilarityReport.analyse([reference, SimilaritySubmission(student: "disguised", cells: exercise.disguised)],
                                              starter: SimilarityReport.cells(of: try official(exercise.key)))
        let pair = try XCTUnwrap(report.pairs.first)
        let moved = pair.regions.filter { $0.firstCell == "loss" }
        XCTAssertFalse(moved.isEmpty)
        XCTAssertTrue(moved.allSatisfy { $0.secondCell == "similarities" }, "\(moved)")
        let lines = moved.reduce(into: Set<Int>()) { $0.formUnion($1.firstLines) }
        XCTAssertTrue(lines.isSuperset(of: 4...12), "\(moved)")
    }

    /// A notebook hand-in (as `selfsup export --to ipynb` writes it) is read into the same
    /// cells as the `.lab` file it came from.
    func test_notebookHandInReadsLikeTheLabFile() throws {
        let official = try official("02-nt-xent")
        let lab = S.exercises.appendingPathComponent("solutions/02-nt-xent.lab")
        let directory = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notebook = directory.appendingPathComponent("ada.ipynb")
        try JupyterExport.exerciseNotebook(try NotebookDocument(contentsOf: lab)).serialized()
            .write(to: notebook, atomically: true, encoding: .utf8)
        let fromNotebook = try SimilaritySubmission.read(handIn: notebook, official: official)
        XCTAssertEqual(fromNotebook.student, "ada")
        XCTAssertEqual(fromNotebook.cells, try read(lab, official, as: "x").cells)
        XCTAssertEqual(Set(fromNotebook.cells.keys), ["similarities", "loss"])

        let report = try SimilarityReport.analyse(handIns: [(student: "ada", url: notebook), (student: "lab", url: lab)],
                                                  official: official)
        XCTAssertEqual(report.pairs.map(\.score), [1])
    }
}
