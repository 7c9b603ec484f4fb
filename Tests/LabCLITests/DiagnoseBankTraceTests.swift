import XCTest
import SelfSupervised
@testable import LabCLI

/// `selfsup diagnose-bank --trace`: one line for the measurement before the first step,
/// then one per epoch with its loss, the meters of every output and the verdict so far.
final class DiagnoseBankTraceTests: XCTestCase {
    func testTheTraceHasALinePerEpochEndingWithTheVerdictSoFar() throws {
        let bankCase = try XCTUnwrap(DiagnosisBank.all.first { $0.name == "simclr-zero-inputs" })
        let outcome = try DiagnosisBank.run(bankCase, seed: 20)
        let lines = DiagnoseBankCommand.traceLines(outcome)
        XCTAssertEqual(lines.count, bankCase.epochs + 1)
        XCTAssertTrue(lines[0].hasPrefix("  epoch 0: encoder share "), lines[0])
        for (k, verdict) in outcome.verdictByEpoch.enumerated() {
            XCTAssertTrue(lines[k + 1].hasPrefix("  epoch \(k + 1): loss "), lines[k + 1])
            XCTAssertTrue(lines[k + 1].hasSuffix("=> \(verdict.rawValue)"), lines[k + 1])
            XCTAssertTrue(lines[k + 1].contains("projector share "), lines[k + 1])
        }
    }
}
