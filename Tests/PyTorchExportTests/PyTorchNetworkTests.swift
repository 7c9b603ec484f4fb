import XCTest
import NeuralNet
import TensorCore
@testable import PyTorchExport

/// Lab networks as PyTorch code: the modules and the name of every tensor.
final class PyTorchNetworkTests: XCTestCase {
    func testParameterNamesMapToTheLabsNames() throws {
        var rng = RandomGenerator(seed: 1)
        let encoder = mlp([64, 32, 16], rng: &rng)
        let e = try PyTorchNetwork.make(encoder, head: false)
        XCTAssertEqual(e.names.map(\.torch), encoder.stateTensors().map(\.name), "an encoder keeps the lab's names")
        XCTAssertEqual(e.names.map(\.lab), encoder.stateTensors().map(\.name))
        XCTAssertTrue(e.code.hasPrefix("nn.Sequential(OrderedDict(["))
        let head = simsiamProjector(inFeatures: 16, hidden: 32, outFeatures: 8, rng: &rng)
        let h = try PyTorchNetwork.make(head, head: true)
        XCTAssertTrue(h.code.hasPrefix("ProjectionHead(["), "lab heads become lightly's ProjectionHead")
        XCTAssertTrue(h.code.contains("(32, 8, nn.BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=False), None, True)"), h.code)
        XCTAssertEqual(h.names.map(\.torch), head.stateTensors().map { "layers." + $0.name })
        XCTAssertEqual(h.names.map(\.lab), head.stateTensors().map(\.name))
        // A head lightly's ProjectionHead cannot hold stays an nn.Sequential with the lab's names.
        let odd = Sequential([Linear(4, 4, rng: &rng), Tanh(), Linear(4, 2, rng: &rng)])
        let o = try PyTorchNetwork.make(odd, head: true)
        XCTAssertEqual(o.names.map(\.torch), odd.stateTensors().map(\.name))
        XCTAssertTrue(o.code.contains("(\"1\", nn.Tanh())"))
    }
}
