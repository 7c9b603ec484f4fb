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

    func testShapeErrors() {
        assertShapeError("batchNorm", [[4, 3], [2]]) { try batchNorm(.zeros([4, 3]), weight: .zeros([2])) }
        assertShapeError("batchNorm", [[3]]) { try batchNorm(.zeros([3])) }
    }
}
