import XCTest
import TensorCore
@testable import NeuralNet

final class ModuleTests: XCTestCase {
    func testNamesFollowPyTorchStateDict() {
        var rng = RandomGenerator(seed: 1)
        let net = mlp([64, 256, 256, 128], rng: &rng)
        // list(m.state_dict().keys()) for the peer's encoder, without num_batches_tracked
        XCTAssertEqual(net.stateTensors().map(\.name),
                       ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var",
                        "6.weight", "6.bias"])
        XCTAssertEqual(net.namedParameters().count, 10)
        XCTAssertEqual(net.namedBuffers().map(\.name), ["1.running_mean", "1.running_var", "4.running_mean", "4.running_var"])
        // sum(p.numel() for p in m.parameters()) for the same encoder in PyTorch: 116352
        XCTAssertEqual(net.parameterCount, 116352)
        XCTAssertTrue(net.parameters().allSatisfy { $0.requiresGrad })
    }

    func testTrainEvalReachesEverySubmodule() throws {
        var rng = RandomGenerator(seed: 2)
        let net = Sequential([mlp([4, 8, 4], rng: &rng), mlp([4, 4, 2], rng: &rng)])
        XCTAssertEqual(net.stateTensors().first?.name, "0.0.weight")
        net.eval()
        var all: [Module] = []
        net.walk(prefix: "") { _, m in all.append(m) }
        XCTAssertTrue(all.allSatisfy { !$0.isTraining })
        // In eval mode BatchNorm works on a single example and leaves its statistics alone.
        let before = net.namedBuffers().map(\.tensor.data)
        _ = try net(Tensor.randn([1, 4], using: &rng))
        XCTAssertEqual(net.namedBuffers().map(\.tensor.data), before)
        net.train()
        XCTAssertTrue(all.allSatisfy { $0.isTraining })
    }

    func testDeepCopyIsIndependent() throws {
        var rng = RandomGenerator(seed: 3)
        let net = mlp([4, 8, 3], rng: &rng)
        let x = Tensor.randn([5, 4], using: &rng)
        _ = try net(x)   // move the running statistics away from 0 and 1
        net.eval()
        let copy = deepCopy(net)
        XCTAssertFalse(copy.isTraining)
        XCTAssertEqual(try copy(x).data, try net(x).data)
        for ((n1, t1), (n2, t2)) in zip(net.stateTensors(), copy.stateTensors()) {
            XCTAssertEqual(n1, n2)
            XCTAssertFalse(t1 === t2, "\(n1) is shared")
            XCTAssertEqual(t1.requiresGrad, t2.requiresGrad)
        }
        // Training the original leaves the copy as it was.
        let copied = copy.stateTensors().map(\.tensor.data)
        net.train()
        let opt = SGD(net.parameters(), learningRate: 0.1)
        try sum(net(x)).backward()
        opt.step()
        XCTAssertEqual(copy.stateTensors().map(\.tensor.data), copied)
        XCTAssertNotEqual(net.stateTensors().map(\.tensor.data), copied)
        XCTAssertTrue(copy.parameters().allSatisfy { $0.grad == nil })
    }

    func testFreezeStopsGradients() throws {
        var rng = RandomGenerator(seed: 4)
        let encoder = mlp([4, 8, 8], rng: &rng)
        let head = Linear(8, 2, rng: &rng)
        encoder.freeze()
        XCTAssertTrue(encoder.isFrozen)
        let x = Tensor.randn([6, 4], using: &rng)
        try sum(head(encoder(x))).backward()
        XCTAssertTrue(encoder.parameters().allSatisfy { $0.grad == nil })
        XCTAssertNotNil(head.weight.grad)
        // An optimiser over everything moves only the head.
        let before = encoder.parameters().map(\.data)
        SGD(encoder.parameters() + head.parameters(), learningRate: 0.1).step()
        XCTAssertEqual(encoder.parameters().map(\.data), before)
        encoder.unfreeze()
        XCTAssertFalse(encoder.isFrozen)
        try sum(head(encoder(x))).backward()
        XCTAssertTrue(encoder.parameters().allSatisfy { $0.grad != nil })
    }

    func testSameSeedSameModelAndTrainingBitForBit() throws {
        func trained(seed: UInt64) throws -> [[Float]] {
            var rng = RandomGenerator(seed: seed)
            let net = Sequential([convnet(widths: [4, 8], rng: &rng), mlp([8, 8, 4], rng: &rng)])
            let opt = Adam(net.parameters(), learningRate: 0.01)
            let x = Tensor.randn([3, 3, 8, 8], using: &rng)
            for _ in 0..<2 {
                opt.zeroGrad()
                try sum(pow(net(x), 2)).backward()
                opt.step()
            }
            return net.stateTensors().map(\.tensor.data)
        }
        let a = try trained(seed: 42), b = try trained(seed: 42), c = try trained(seed: 43)
        XCTAssertEqual(a.map { $0.map(\.bitPattern) }, b.map { $0.map(\.bitPattern) })
        XCTAssertNotEqual(a, c)
    }

    func testNamedSequential() throws {
        var rng = RandomGenerator(seed: 8)
        let net = Sequential(named: [("encoder", mlp([4, 8, 8], rng: &rng)), ("projector", Linear(8, 2, rng: &rng))])
        XCTAssertEqual(net.stateTensors().map(\.name).first, "encoder.0.weight")
        XCTAssertEqual(net.stateTensors().map(\.name).last, "projector.bias")
        XCTAssertEqual(deepCopy(net).stateTensors().map(\.name), net.stateTensors().map(\.name))
        XCTAssertEqual(try net(Tensor.randn([3, 4], using: &rng)).shape, [3, 2])
    }

    func testSummaryListsLayers() {
        var rng = RandomGenerator(seed: 5)
        let s = mlp([2, 3, 1], rng: &rng).summary
        XCTAssertEqual(s, "Sequential(\n  (0): Linear(2, 3)\n  (1): BatchNorm1d(3)\n  (2): ReLU()\n  (3): Linear(3, 1)\n)")
    }

    func testHeadsHaveTheDocumentedShapes() throws {
        var rng = RandomGenerator(seed: 6)
        let x = Tensor.randn([4, 128], using: &rng)
        XCTAssertEqual(try simclrProjector(rng: &rng)(x).shape, [4, 64])
        XCTAssertEqual(try byolProjector(rng: &rng)(x).shape, [4, 64])
        XCTAssertEqual(try expander(rng: &rng)(x).shape, [4, 128])
        let simsiam = simsiamProjector(rng: &rng)
        XCTAssertEqual(try simsiam(x).shape, [4, 64])
        XCTAssertTrue((simsiam[simsiam.count - 1] as? BatchNorm1d)?.isAffine == false)
        let pred = predictor(rng: &rng)
        XCTAssertEqual(try pred(Tensor.randn([4, 64], using: &rng)).shape, [4, 64])
        XCTAssertEqual((pred[0] as? Linear)?.outFeatures, 16)
    }
}
