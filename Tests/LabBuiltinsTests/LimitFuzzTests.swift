import Foundation
import XCTest
import LabScript
import TensorCore
@testable import LabBuiltins

/// Generated inputs of the two kinds that used to kill the process: long chains the
/// parser builds in loops, and calls on small inputs whose results are huge. Every one
/// must end in a located diagnostic (a crash would kill the test process). Seeded, so a
/// failure repeats; about a hundred cases, a few seconds.
final class LimitFuzzTests: XCTestCase {
    static let chainPieces = [
        [" + 1", " - x", " * 2", " / 3", " % 2", " @ m", " == 1", " < 2", " and true", " or false", " .. 3"],
        [".a", "[0]", "()", "(1)", ".f()", "[0:1]"],
    ]
    static let prefixPieces = ["not ", "- ", "(", "[", "fn() { return "]

    func testGeneratedLongChainsAreLocatedErrors() {
        var rng = RandomGenerator(seed: 18)
        let interpreter = Interpreter(output: BufferOutputSink())
        for case_ in 0..<60 {
            let count = 1500 + rng.nextInt(below: 60_000)
            let text: String
            if case_ % 4 == 3 {
                let piece = LimitFuzzTests.prefixPieces[rng.nextInt(below: LimitFuzzTests.prefixPieces.count)]
                let closing = piece == "(" ? ")" : piece == "[" ? "]" : piece.hasPrefix("fn") ? " }" : ""
                text = "y = " + String(repeating: piece, count: count) + "1" + String(repeating: closing, count: count) + "\n"
            } else {
                let group = LimitFuzzTests.chainPieces[case_ % 2]
                let pieces = (0..<3).map { _ in group[rng.nextInt(below: group.count)] }
                var body = ""
                for i in 0..<count { body += pieces[i % 3] }
                text = "x = 1\ny = x" + body + "\n"
            }
            let result = case_ % 2 == 0 ? interpreter.run(text, name: "fuzz.lab") : interpreter.runREPL(text, name: "fuzz.lab")
            guard case .failure(let diagnostics) = result, let first = diagnostics.first else {
                XCTFail("case \(case_) (\(text.prefix(40))…): expected an error"); continue
            }
            XCTAssertTrue(diagnostics.contains { $0.message.contains("nested too deeply") }, "case \(case_): \(first.message)")
            XCTAssertLessThanOrEqual(diagnostics.count, Parser.maxDiagnostics + 1)
        }
    }

    func testGeneratedHugeShapeCallsAreRefused() {
        var rng = RandomGenerator(seed: 18)
        var limits = InterpreterLimits()
        limits.maxSeconds = 5
        let session = BuiltinContext(output: BufferOutputSink(), limits: limits)
        let calls = [
            "nt_xent(A, A)", "info_nce(A, A)", "dcl(A, A)", "barlow_twins(W, W)", "vicreg(W, W)", "cross_correlation(W, W)",
            "uniformity(A)", "A @ B", "W.T @ W", "A + B", "A * B", "A - B", "A / B", "masked_fill(A, B, 1)",
            "where(A > B, A, B)", "outer(flatten(A), flatten(A))", "maximum(A, B)", "cosine_similarity(A3, B3)",
            "reshape(A, N, N)", "zeros(N, N)", "randn(N, N)", "eye(N)", "ones(N, N, N)",
        ]
        var refused = 0
        for case_ in 0..<50 {
            let n = 10_000 + rng.nextInt(below: 70_000)
            let call = calls[case_ % calls.count]
            let text = """
                N = \(n)
                A = randn(N, 1)
                B = randn(1, N)
                W = randn(2, N)
                A3 = reshape(A, N, 1, 1)
                B3 = reshape(B, 1, N, 1)
                r = \(call)
                """
            guard case .failure(let diagnostics) = session.run(text, name: "huge.lab"), let first = diagnostics.first else {
                XCTFail("\(call) with N = \(n): expected an error"); continue
            }
            XCTAssertEqual(first.line, 7, "\(call): \(first.message)")
            if first.kind == .runtime(.limit) { refused += 1 }
        }
        XCTAssertGreaterThanOrEqual(refused, 40, "nearly all are refused by the element limit (the rest are other errors)")
    }
}
