import XCTest
@testable import TensorCore

/// The fused batch-norm primitive against its composition, and its gradients.
final class BatchNormTests: XCTestCase {
    func testMatchesTheComposition() throws {
        let x = randomTensor([6, 4], seed: 81, low: -2, high: 3)
        let gamma = randomTensor([4], seed: 82), beta = randomTensor([4], seed: 83)
        let fused = try batchNorm(x, weight: gamma, bias: beta)
        assertClose(fused.output.data, try (standardize(x, axis: 0) * gamma + beta).data, tol: 1e-5)
        assertClose(fused.mean.data, try mean(x, axis: 0).data)
        assertClose(fused.variance.data, try variance(x, axis: 0, unbiased: false).data)

        let images = randomTensor([3, 2, 4, 5], seed: 84)
        let composed = try standardize(permute(images, [1, 0, 2, 3]).reshape([2, -1]), axis: 1)
        let expected = try composed.reshape([2, 3, 4, 5]).permute([1, 0, 2, 3])
        assertClose(try batchNorm(images).output.data, expected.data, tol: 1e-5)

        // The [N, C, H, W] fast path (one-sweep statistics combined with Chan's formula)
        // against the definition, on values far from 0 where a naive one-pass variance fails,
        // and more images than `convGroups`.
        let offset = randomTensor([11, 3, 4, 5], seed: 92, low: 99, high: 101)
        let result = try batchNorm(offset)
        let perChannel = try permute(offset, [1, 0, 2, 3]).reshape([3, -1])
        assertClose(result.mean.data, try mean(perChannel, axis: 1).data, tol: 1e-4)
        assertClose(result.variance.data, try variance(perChannel, axis: 1, unbiased: false).data, tol: 1e-4)
        let standardized = try standardize(perChannel, axis: 1).reshape([3, 11, 4, 5]).permute([1, 0, 2, 3])
        assertClose(result.output.data, standardized.data, tol: 2e-3)
    }

    func testGradients() {
        assertGradcheck({ try batchNorm($0[0], weight: $0[1], bias: $0[2]).output },
                        [randomTensor([5, 3], seed: 85), randomTensor([3], seed: 86), randomTensor([3], seed: 87)])
        assertGradcheck({ try batchNorm($0[0], weight: $0[1], bias: $0[2]).output },
                        [randomTensor([2, 3, 2, 3], seed: 88), randomTensor([3], seed: 89), randomTensor([3], seed: 90)])
        assertGradcheck({ try batchNorm($0[0]).output }, [randomTensor([4, 2], seed: 91)])
    }

    /// The fused BatchNorm + ReLU against the two ops one after the other: the same values
    /// and gradients, bit for bit (the same formulas on the same numbers).
    func testFusedReLUMatchesTheTwoOps() throws {
        for shape in [[13, 3, 4, 5], [9, 4]] {
            let x0 = randomTensor(shape, seed: 93), w0 = randomTensor([shape[1]], seed: 94), b0 = randomTensor([shape[1]], seed: 95)
            func run(fused: Bool) throws -> [[Float]] {
                let (x, w, b) = (Tensor(shape: x0.shape, data: x0.data, requiresGrad: true),
                                 Tensor(shape: w0.shape, data: w0.data, requiresGrad: true),
                                 Tensor(shape: b0.shape, data: b0.data, requiresGrad: true))
                let y = fused ? try batchNorm(x, weight: w, bias: b, relu: true).output
                              : relu(try batchNorm(x, weight: w, bias: b).output)
                try sum(y * randomTensor(shape, seed: 96)).backward()
                return [y.data, x.grad?.data ?? [], w.grad?.data ?? [], b.grad?.data ?? []]
            }
            let (fused, plain) = (try run(fused: true), try run(fused: false))
            XCTAssertTrue(fused[0].contains(0) && fused[0].contains { $0 > 0 }, "the ReLU both clips and passes")
            XCTAssertEqual(fused, plain, "shape \(shape)")
        }
        // Finite differences across ReLU's kink are meaningless, so the gradient check keeps
        // every pre-activation away from 0 (|x̂·γ| < 0.6 < |β|): channels 0 and 2 pass
        // everything, channel 1 nothing; the mixed case is the bitwise comparison above.
        assertGradcheck({ try batchNorm($0[0], weight: $0[1], bias: $0[2], relu: true).output },
                        [spreadTensor([2, 3, 2, 3], seed: 97), Tensor([0.3, -0.2, 0.25]), Tensor([1, -1, 0.8])])
    }

    func testShapeErrors() {
        assertShapeError("batchNorm", [[4, 3], [2]]) { try batchNorm(.zeros([4, 3]), weight: .zeros([2])) }
        assertShapeError("batchNorm", [[3]]) { try batchNorm(.zeros([3])) }
    }
}
