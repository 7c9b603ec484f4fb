import XCTest
@testable import SelfSupervised

/// Every loss against lightly 1.6.0 (see LossGoldens.swift for the generating script):
/// value to 1e-5 relative, and each input's gradient to 1e-5 relative to the gradient's
/// largest entry (elementwise relative error is meaningless for entries near zero).
final class LossGoldenTests: XCTestCase {
    /// Our loss for each golden case, applied to the golden inputs.
    static let losses: [String: @Sendable ([Tensor]) throws -> Tensor] = [
        "ntXent": { try ntXent($0[0], $0[1], temperature: 0.5) },
        "ntXentT01": { try ntXent($0[0], $0[1], temperature: 0.1) },
        "infoNCE": { try infoNCE(query: $0[0], key: $0[1], queue: normalize($0[2], axis: 1), temperature: 0.2) },
        "barlowTwins": { try barlowTwins($0[0], $0[1], lambda: 5e-3) },
        "vicreg": { try vicreg($0[0], $0[1]) },
        "negativeCosine": { try negativeCosine($0[0], $0[1]) },
        "dcl": { try dcl($0[0], $0[1], temperature: 0.1) },
        "dclw": { try dcl($0[0], $0[1], temperature: 0.1, weighted: true, sigma: 0.5) },
        "wmse": { try wmse($0[0], $0[1]) },
        "positiveOnlyCosine": { try positiveOnly($0[0], $0[1], distance: .cosine) },
        "positiveOnlySquared": { try positiveOnly($0[0], $0[1], distance: .squared) },
    ]

    func testEveryLossMatchesLightlyInValueAndGradient() throws {
        XCTAssertEqual(Set(lossGoldens.map(\.name)), Set(Self.losses.keys))
        for golden in lossGoldens {
            let loss = try XCTUnwrap(Self.losses[golden.name])
            let inputs = zip(golden.shapes, golden.inputs).map { Tensor(shape: $0, data: $1, requiresGrad: true) }
            let value = try loss(inputs)
            try value.backward()
            let v = Double(try value.item())
            XCTAssertEqual(v, golden.value, accuracy: 1e-5 * Swift.abs(golden.value),
                           "\(golden.name): value vs lightly `\(golden.line)`")
            for (k, expected) in golden.gradients.enumerated() where !expected.isEmpty {
                let got = inputs[k].grad?.data ?? []
                XCTAssertEqual(got.count, expected.count, "\(golden.name): gradient \(k) size")
                let scale = expected.map(Swift.abs).max() ?? 1
                let worst = zip(got, expected).map { Swift.abs(Double($0) - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5 * scale,
                                         "\(golden.name): gradient of input \(k) vs lightly `\(golden.line)`")
            }
        }
    }
}
