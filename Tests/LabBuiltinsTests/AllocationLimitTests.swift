import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// Every tensor a script can make is checked against the one element limit
/// (`TensorCore.ElementLimit`, bound to `InterpreterLimits.maxElements` for each run)
/// before it is allocated, wherever the size comes from: a builtin's result, a loss's
/// similarity matrix, broadcasting, a matrix product, a model's weights. The error names
/// the operation and the size; sizes computed from input never overflow.
final class AllocationLimitTests: XCTestCase {
    /// Calls whose results (or intermediates) are far over the default limit of 50 million
    /// elements, though every input is small.
    static let hugeCalls = [
        "nt_xent(randn(30000, 1), randn(30000, 1))",
        "info_nce(randn(30000, 1), randn(30000, 1), randn(30000, 1))",
        "cosine_similarity(randn(20000, 1, 2), randn(1, 20000, 2))",
        "masked_fill(zeros(20000, 1), zeros(1, 20000), 1)",
        "barlow_twins(randn(4, 20000), randn(4, 20000))",
        "vicreg(randn(4, 20000), randn(4, 20000))",
        "cross_correlation(randn(4, 20000), randn(4, 20000))",
        "uniformity(randn(40000, 2))",
        "zeros(20000, 1) + zeros(1, 20000)",
        "zeros(20000, 1) * ones(20000)",
        "randn(20000, 1) @ randn(1, 20000)",
        "outer(ones(20000), ones(20000))",
        "reshape(zeros(4), 10^12, 10^12)",
        "zeros(10^12, 10^12)",
        "randn(10^6, 10^6)",
        "cat([ones(40000000), ones(40000000)])",
        "eye(10^5)",
        "mlp([4, 4000000, 4000000])",
    ]

    func testHugeResultsAreRefusedBeforeTheyAreMade() {
        let session = BuiltinContext(output: BufferOutputSink())
        for call in AllocationLimitTests.hugeCalls {
            let result = session.run("r = \(call)\n", name: "huge.lab")
            guard case .failure(let diagnostics) = result, let first = diagnostics.first else {
                XCTFail("\(call): expected a limit error"); continue
            }
            XCTAssertEqual(first.line, 1, call)
            XCTAssertTrue(first.message.contains("limit") || first.message.contains("too large") || first.message.contains("do not fill"),
                          "\(call): \(first.message)")
        }
    }

    /// RankMe works on the smaller of its two Gram matrices (n × n or d × d), so a wide
    /// batch makes nothing larger than its input: 2 × 20000 needs a 2 × 2 matrix, not the
    /// 20000 × 20000 covariance it once built (and the limit refused).
    func testRankMeOfAWideBatchNeedsOnlyTheSmallGram() {
        let session = BuiltinContext(output: BufferOutputSink())
        guard case .success = session.run("r = rankme(randn(2, 20000))\nexpect(r >= 1 and r <= 2)\n", name: "wide.lab") else {
            return XCTFail("rankme(randn(2, 20000)) should succeed")
        }
    }

    func testTheLimitErrorNamesTheOpAndTheSize() {
        let session = BuiltinContext(output: BufferOutputSink())
        guard case .failure(let diagnostics) = session.run("z = randn(30000, 1)\nr = nt_xent(z, z)\n", name: "n.lab") else {
            return XCTFail("expected a limit error")
        }
        let message = diagnostics[0].message
        XCTAssertEqual(diagnostics[0].kind, .runtime(.limit), message)
        XCTAssertEqual(diagnostics[0].line, 2)
        XCTAssertTrue(message.contains("matmul") && message.contains("[60000, 60000]") && message.contains("3600000000 elements")
                      && message.contains("limit of 50000000"), message)
    }

    func testTheLimitFollowsTheSessionsSetting() {
        var limits = InterpreterLimits()
        limits.maxElements = 1000
        let small = BuiltinContext(output: BufferOutputSink(), limits: limits)
        guard case .failure(let diagnostics) = small.run("r = ones(40, 1) + ones(1, 40)\n", name: "s.lab") else {
            return XCTFail("1600 elements are over a limit of 1000")
        }
        XCTAssertTrue(diagnostics[0].message.contains("limit of 1000"), diagnostics[0].message)
        // The same sum is fine in a session with the default limit, run in between.
        let roomy = BuiltinContext(output: BufferOutputSink())
        if case .failure(let d) = roomy.run("r = ones(40, 1) + ones(1, 40)\n", name: "r.lab") { XCTFail(d[0].message) }
        if case .failure(let d) = small.run("r = ones(30, 1) + ones(1, 30)\n", name: "s.lab") { XCTFail(d[0].message) }
    }

    func testTrainingAModelWithAHugeDefaultProjectorIsRefused() {
        var limits = InterpreterLimits()
        limits.maxElements = 4_000_000
        let session = BuiltinContext(output: BufferOutputSink(), limits: limits)
        let text = "enc = mlp([2, 1000000])\nr = train(enc, blobs(count: 16), method: \"simclr\", epochs: 1)\n"
        guard case .failure(let diagnostics) = session.run(text, name: "t.lab") else {
            return XCTFail("expected a limit error")
        }
        XCTAssertTrue(diagnostics[0].message.contains("limit"), diagnostics[0].message)
    }
}
