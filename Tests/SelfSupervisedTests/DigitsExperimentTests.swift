import Foundation
import XCTest
@testable import SelfSupervised

/// The must-show experiment (`DigitsExperiment`'s digits set-up), quick version: a few epochs of each
/// method already beat the same encoder at random init on few-label probes, and the
/// positive-only net without BatchNorm collapses. The full measurement (200 epochs, every
/// method, printed as a table) runs when SELFSUP_FULL_DIGITS=1.
final class DigitsExperimentTests: XCTestCase {
    func testFewLabelProbesBeatRandomInitAndPositiveOnlyCollapses() throws {
        let baseline = try DigitsExperiment.run(.randomInit, epochs: 0, draws: 3)
        print(RepresentationReport.header)
        print(baseline.row)
        for method in [DigitsExperiment.Method.simclr, .barlowTwins, .vicreg, .byol] {
            let r = try DigitsExperiment.run(method, epochs: 30, draws: 3)
            print(r.row)
            XCTAssertGreaterThan(r.probeK1, baseline.probeK1 + 0.04, "\(r.method) k=1 vs random init")
            XCTAssertGreaterThan(r.probeK3, baseline.probeK3 + 0.04, "\(r.method) k=3 vs random init")
        }
        let collapsed = try DigitsExperiment.run(.positiveOnlyNoBN, epochs: 20, draws: 1)
        print(collapsed.row)
        XCTAssertLessThan(collapsed.embeddingStd, 0.1 / Double(128).squareRoot(), "positive-only without BN collapses")
        XCTAssertLessThan(collapsed.rankMe, 5, "and its effective rank falls (random init: ≈ 43)")
    }

    func testFullDigitsTable() throws {
        guard ProcessInfo.processInfo.environment["SELFSUP_FULL_DIGITS"] == "1" else {
            throw XCTSkip("set SELFSUP_FULL_DIGITS=1 for the full 200-epoch table")
        }
        let epochs = Int(ProcessInfo.processInfo.environment["SELFSUP_EPOCHS"] ?? "") ?? 200
        print(RepresentationReport.header)
        for method in DigitsExperiment.Method.allCases {
            print(try DigitsExperiment.run(method, epochs: method == .positiveOnlyNoBN ? 20 : epochs, draws: 5).row)
        }
    }
}
