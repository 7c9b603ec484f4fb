import XCTest
import NeuralNet
@testable import SelfSupervised

/// NNCLR (Dwibedi et al. 2021): its loss against a value computed by hand, its support set's
/// first-in-first-out order, and a short run on digits that beats the untrained encoder.
final class NNCLRTests: XCTestCase {
    /// Support {e₁, e₂, −e₁}: z₁'s rows are nearest to e₁ and e₂, z₂'s to −e₁ and e₁, so the
    /// loss is ½ (NT-Xent([e₁, e₂], p₂) + NT-Xent([−e₁, e₁], p₁)) at τ 0.5. The value
    /// 1.7453650 = ½ (2.2395448 + 1.2511853) was computed from NT-Xent's definition by hand
    /// (a Python loop over the 2N anchors), independently of `ntXent`.
    func testLossAgainstAHandComputedValue() throws {
        let support = Tensor([[1, 0], [0, 1], [-1, 0]])
        let z1 = Tensor([[2, 0.1], [-0.1, 3]]), z2 = Tensor([[-3, 0.2], [0.5, 0.1]])
        let p1 = Tensor([[1, 1], [1, -1]]), p2 = Tensor([[0, 2], [3, 0]])
        XCTAssertEqual(try supportNearestNeighbours(z1, support: support).data, [1, 0, 0, 1])
        XCTAssertEqual(try supportNearestNeighbours(z2, support: support).data, [-1, 0, 1, 0])
        let loss = try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: support, temperature: 0.5)
        XCTAssertEqual(try loss.item(), 1.7453650, accuracy: 1e-5)
        XCTAssertEqual(try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: support, temperature: 0.5).item(),
                       try ((ntXent(Tensor([[1, 0], [0, 1]]), p2, temperature: 0.5)
                             + ntXent(Tensor([[-1, 0], [1, 0]]), p1, temperature: 0.5)) * 0.5).item(), accuracy: 1e-6)
        XCTAssertThrowsError(try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: Tensor.zeros([3, 5])))
        XCTAssertThrowsError(try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: support, temperature: 0))
    }

    /// The gradient reaches the predictions only: the neighbours are constants.
    func testGradientFlowsThroughThePredictionsOnly() throws {
        let support = Tensor([[1, 0], [0, 1], [-1, 0]])
        let z1 = Tensor([[2, 0.1], [-0.1, 3]], requiresGrad: true), z2 = Tensor([[-3, 0.2], [0.5, 0.1]], requiresGrad: true)
        let p1 = Tensor([[1, 1], [1, -1]], requiresGrad: true), p2 = Tensor([[0, 2], [3, 0]], requiresGrad: true)
        try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: support, temperature: 0.5).backward()
        XCTAssertTrue((z1.grad?.data ?? [0]).allSatisfy { $0 == 0 }, "no gradient through the neighbour search")
        XCTAssertTrue((p1.grad?.data ?? []).contains { $0 != 0 }, "the predictions get a gradient")
    }

    /// After each step the second view's projections are written over the oldest rows of the
    /// support set, normalised, wrapping around; the loss of a step reads the set as it was.
    func testSupportSetIsFirstInFirstOut() throws {
        var rng = RandomGenerator(seed: 1)
        let method = NNCLR(encoder: Identity(), projector: Identity(), predictor: Identity(), embeddingDimension: 2,
                           supportSize: 3, temperature: 0.1, rng: &rng)
        let initial = method.support.keys.data
        let view1 = Tensor([[1, 0], [0, 1]])
        _ = try method.loss(TrainingBatch(inputs: view1, labels: [0, 1], view1: view1, view2: Tensor([[3, 4], [0, -2]])))
        XCTAssertEqual(method.support.keys.data, initial, "the loss does not change the support set")
        try method.afterStep(step: 1, totalSteps: 2)
        XCTAssertEqual(method.support.keys.data, [0.6, 0.8, 0, -1] + initial[4...])
        _ = try method.loss(TrainingBatch(inputs: view1, labels: [0, 1], view1: view1, view2: Tensor([[2, 0], [0, 5]])))
        try method.afterStep(step: 2, totalSteps: 2)
        XCTAssertEqual(method.support.keys.data, [0, 1, 0, -1, 1, 0], "the oldest row (0) is replaced after the last one")
        try method.afterStep(step: 3, totalSteps: 3)
        XCTAssertEqual(method.support.keys.data, [0, 1, 0, -1, 1, 0], "a step enqueues its batch once")
    }

    /// Ten epochs of NNCLR with the table's defaults (heads, τ 0.1, support 1024) on digits
    /// beat the same encoder untrained on a linear probe with 3 labels per class (the digits
    /// experiment's split, encoder and views), on at least 4 of 5 seeds.
    func testShortRunOnDigitsBeatsTheUntrainedEncoder() throws {
        let (train, test) = try DigitsExperiment.data()
        let labelled = try train.labelledSubset(perClass: 3, seed: 0)
        func probe(_ method: RepresentationMethod) throws -> Double {
            try linearProbe(trainFeatures: method.features(labelled.flattenedInputs()), trainLabels: labelled.labels,
                            testFeatures: method.features(test.flattenedInputs()), testLabels: test.labels,
                            classes: train.classCount).testAccuracy
        }
        let arm = DigitsExperiment.Method("nnclr", method: "nnclr", projector: nil)
        var wins = 0
        var rows: [String] = []
        for seed: UInt64 in 0..<5 {
            var rng = RandomGenerator(seed: seed)
            let prepared = try DigitsExperiment.experiment(arm, on: train, epochs: 10, seed: seed, using: &rng).prepare(using: &rng)
            let method = prepared.built.method
            let untrained = try probe(method)
            _ = try prepared.train()
            let trained = try probe(method)
            rows.append("seed \(seed): untrained \(untrained), NNCLR \(trained)")
            if trained > untrained { wins += 1 }
        }
        print("NNCLR on digits, probe with 3 labels per class: " + rows.joined(separator: "; "))
        XCTAssertGreaterThanOrEqual(wins, 4, rows.joined(separator: "; "))
    }
}
