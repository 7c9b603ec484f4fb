import XCTest
import Foundation
import TensorCore
@testable import NeuralNet

final class ModelFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A trained-looking small model: an MLP with BatchNorm after one training pass, in eval mode.
    func makeModel(seed: UInt64) throws -> Sequential {
        var rng = RandomGenerator(seed: seed)
        let net = mlp([3, 4, 2], rng: &rng)
        _ = try net(Tensor.randn([8, 3], using: &rng))
        net.eval()
        return net
    }

    func testSaveThenLoadGivesIdenticalOutputs() throws {
        let a = try makeModel(seed: 1), b = try makeModel(seed: 2)
        let x = Tensor([[0.1, -0.2, 0.3], [1, 2, -1]])
        XCTAssertNotEqual(try a(x).data, try b(x).data)
        try save(a, to: path("m.safetensors"), metadata: ["epoch": "3"])
        try load(b, from: path("m.safetensors"))
        XCTAssertEqual(try a(x).data, try b(x).data)
        XCTAssertEqual(a.stateTensors().map(\.tensor.data), b.stateTensors().map(\.tensor.data))
        XCTAssertEqual(try loadTensors(from: path("m.safetensors")).metadata, ["epoch": "3"])
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["m.safetensors"])
    }

    func testFileWrittenByPythonSafetensorsLoads() throws {
        guard let url = Bundle.module.url(forResource: "tiny_mlp", withExtension: "safetensors", subdirectory: "Fixtures") else {
            return XCTFail("fixture tiny_mlp.safetensors not found")
        }
        var rng = RandomGenerator(seed: 9)
        let net = mlp([3, 4, 2], rng: &rng)
        net.eval()
        try load(net, from: url.path)
        // Values printed by Fixtures/make_fixture.py:
        // print("0.weight", m[0].weight.flatten().tolist())
        assertClose(net.stateTensors()[0].tensor.data,
                    [-0.00432251766, 0.309715837, -0.475185335, -0.424894601, -0.222368971, 0.154820725,
                     -0.0114391446, 0.457774937, -0.0512363985, 0.152774125, -0.174482793, -0.11348708], tol: 0, "0.weight")
        // print("1.running_var", m[1].running_var.tolist())
        assertClose((net[1] as! BatchNorm1d).runningVar.data, [0.926999509, 0.934572339, 0.914189756, 0.909844756], tol: 0, "running var")
        // x = torch.arange(6.).reshape(2, 3).mul(0.5).sin(); print("y", m(x).flatten().tolist())  (eval mode)
        let x = Tensor(shape: [2, 3], data: [0, 0.47942555, 0.841470957, 0.997494996, 0.909297407, 0.598472118])
        assertClose(try net(x).data, [-0.0805916786, 0.0529070497, -0.141806185, 0.0343243778], tol: 1e-5, "y")
        XCTAssertEqual(try loadTensors(from: url.path).metadata, ["source": "make_fixture.py"])
    }

    /// Asserts that loading `bytes` into a fresh model fails with a message containing
    /// `fragment` and the file name, and leaves the model unchanged.
    func assertRejected(_ bytes: [UInt8], _ fragment: String, model: Module? = nil,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let target = try model ?? makeModel(seed: 5)
        let p = path("bad.safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        let before = target.stateTensors().map(\.tensor.data)
        XCTAssertThrowsError(try load(target, from: p), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(fragment), "\(message) lacks \"\(fragment)\"", file: file, line: line)
            XCTAssertTrue(message.hasPrefix(p), "\(message) does not name the file", file: file, line: line)
        }
        XCTAssertEqual(target.stateTensors().map(\.tensor.data), before, "the model was changed", file: file, line: line)
    }

    func testTruncatedAndCorruptFilesAreRejected() throws {
        let good = SafeTensors.encode(try makeModel(seed: 1).stateTensors())
        try assertRejected(Array(good.prefix(5)), "truncated")
        try assertRejected(Array(good.prefix(40)), "truncated")
        try assertRejected(Array(good.dropLast(4)), "truncated")
        var corrupt = good
        corrupt[8] = UInt8(ascii: "[")
        try assertRejected(corrupt, "bad header")
        var huge = good
        huge[7] = 0x7f   // header length far beyond the file
        try assertRejected(huge, "truncated")
        try assertRejected(header("{\"0.weight\": {\"dtype\": \"F32\", \"shape\": [4, 3]}}"), "bad header")
        try assertRejected(header("{\"0.weight\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 40]}}", buffer: 48),
                           "needs 48")
    }

    func testMismatchedFilesAreRejected() throws {
        let model = try makeModel(seed: 1)
        var tensors = model.stateTensors()
        // A missing tensor and an extra one.
        tensors[0].name = "0.weights"
        try assertRejected(SafeTensors.encode(tensors), "missing 0.weight; unexpected 0.weights")
        // A wrong shape.
        tensors = model.stateTensors()
        tensors[0].tensor = Tensor.zeros([3, 4])
        try assertRejected(SafeTensors.encode(tensors), "0.weight has shape [3, 4] in the file but [4, 3] in the model")
        // A wrong dtype: the same bytes announced as F16.
        // Patched in the header's bytes only (decoding the float buffer as text would change it).
        var bytes = SafeTensors.encode(model.stateTensors())
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        let patched = header.replacingOccurrences(of: "\"0.bias\":{\"dtype\":\"F32\"", with: "\"0.bias\":{\"dtype\":\"F16\"")
        XCTAssertNotEqual(header, patched)
        bytes.replaceSubrange(8..<(8 + headerLength), with: Array(patched.utf8))
        try assertRejected(bytes, "0.bias is stored as F16")
        // A file for another architecture.
        var rng = RandomGenerator(seed: 3)
        try assertRejected(SafeTensors.encode(mlp([3, 5, 2], rng: &rng).stateTensors()), "0.weight has shape [5, 3]")
        // A missing file.
        XCTAssertThrowsError(try load(model, from: path("nothing.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("cannot read"), "\(error)")
        }
    }

    func testEncodingLayout() throws {
        let t = Tensor(shape: [2], data: [1, -2])
        let bytes = SafeTensors.encode([("a", t)])
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual(n % 8, 0)
        XCTAssertEqual(bytes.count, 8 + n + 8)
        XCTAssertEqual(String(decoding: bytes[8..<(8 + n)], as: UTF8.self).trimmingCharacters(in: .whitespaces),
                       "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}")
        XCTAssertEqual(Array(bytes[(8 + n)...]), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0])
        let decoded = try SafeTensors.decode(bytes)
        XCTAssertEqual(decoded.entries, [SafeTensors.Entry(name: "a", dtype: "F32", shape: [2], values: [1, -2])])
    }

    /// A file with the given JSON header and a zero buffer of `buffer` bytes.
    func header(_ json: String, buffer: Int = 0) -> [UInt8] {
        let h = Array(json.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + h + [UInt8](repeating: 0, count: buffer)
    }
}
