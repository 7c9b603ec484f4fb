import XCTest
@testable import SelfSupervised

/// The CI subset of the bank of broken and healthy runs (`DiagnosisBank`, the table
/// `selfsup diagnose-bank` scores over two blocks of seeds): every case once, with seed 20,
/// must get its expected verdict and network output, and a broken case must already get its
/// verdict from the first third of its epochs (what the live monitor says by then).
final class DiagnosisBankTests: XCTestCase {
    func testEveryCaseOfTheBankIsDiagnosedAsExpected() throws {
        var misses: [String] = []
        for bankCase in DiagnosisBank.all {
            let outcome = try DiagnosisBank.run(bankCase, seed: 20)
            let d = outcome.diagnosis
            if d.verdict != bankCase.expected || (bankCase.expectedWhere != nil && d.location != bankCase.expectedWhere) {
                misses.append("\(bankCase.name): \(d.verdict.rawValue) at \(d.location?.rawValue ?? "–"), expected \(bankCase.expected.rawValue)"
                              + " at \(bankCase.expectedWhere?.rawValue ?? "–"); \(d.crossed)")
            }
            if bankCase.expected != .healthy && outcome.early != bankCase.expected {
                misses.append("\(bankCase.name): the first third of its epochs says \(outcome.early.rawValue), expected \(bankCase.expected.rawValue)")
            }
        }
        XCTAssertEqual(misses, [])
    }

    func testTheBankHasTwentyBrokenCasesAndAQuarterWhereConfigurationAndOutcomeDisagree() {
        let bank = DiagnosisBank.all
        XCTAssertGreaterThanOrEqual(bank.filter { $0.expected != .healthy }.count + bank.filter { $0.disagrees && $0.expected == .healthy }.count, 20)
        XCTAssertGreaterThanOrEqual(Double(bank.filter(\.disagrees).count), Double(bank.count) / 4)
        XCTAssertEqual(Set(bank.map(\.name)).count, bank.count, "case names are unique")
        // The healthy set is every method of the course but the collapse demonstration, with its defaults.
        XCTAssertEqual(Set(DiagnosisBank.healthy.map(\.method)), Set(TrainingMethods.course.map(\.name)).subtracting(["positive-only"]))
    }

    /// The per-epoch verdicts (what `selfsup diagnose-bank --trace` prints) are those of the
    /// epochs so far: one per epoch, the last one the run's diagnosis, the first third's the `early` one.
    func testTheVerdictAfterEachEpochIsTheDiagnosisOfTheEpochsSoFar() throws {
        let bankCase = try XCTUnwrap(DiagnosisBank.all.first { $0.name == "simclr-zero-inputs" })
        let outcome = try DiagnosisBank.run(bankCase, seed: 20)
        XCTAssertEqual(outcome.history.epochs.count, bankCase.epochs)
        XCTAssertEqual(outcome.verdictByEpoch.count, bankCase.epochs)
        XCTAssertEqual(outcome.verdictByEpoch.last, outcome.diagnosis.verdict)
        XCTAssertEqual(outcome.verdictByEpoch[max(1, bankCase.epochs / 3) - 1], outcome.early)
        var firstEpoch = outcome.history
        firstEpoch.epochs = Array(firstEpoch.epochs.prefix(1))
        XCTAssertEqual(outcome.verdictByEpoch.first, CollapseDiagnosis(history: firstEpoch, run: outcome.description).verdict)
    }
}
