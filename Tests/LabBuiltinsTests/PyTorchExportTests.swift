import Foundation
import XCTest
import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
@testable import LabBuiltins

/// `export_pytorch` without PyTorch: every exportable method's train.py compiles (`python3
/// -m py_compile`, skipped with a message when python3 is missing), the PyTorch names map to
/// the lab's, the README says what it must, the set-up is exactly `train`'s, and what the
/// exporter cannot express is a located error. The exporter's own pieces are tested in
/// `Tests/PyTorchExportTests`. The parity runs in PyTorch itself are
/// `Scripts/test-pytorch` (not part of this suite).
final class PyTorchExportTests: XCTestCase {
    /// The methods the table marks exportable (`TrainingMethod.export`).
    static let methods = TrainingMethods.exportable.map(\.name)

    func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("selfsup-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    @discardableResult
    func run(_ script: String, seed: UInt64 = 0) throws -> String {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink, seed: seed)
        if case .failure(let diagnostics) = session.run(script, name: "test.lab") {
            throw NSError(domain: "script", code: 1, userInfo: [NSLocalizedDescriptionKey: DiagnosticRenderer().render(diagnostics)])
        }
        return sink.take()
    }

    func failure(_ script: String) -> String {
        let session = BuiltinContext(output: BufferOutputSink())
        guard case .failure(let diagnostics) = session.run(script, name: "test.lab") else { return "" }
        return DiagnosticRenderer().render(diagnostics)
    }

    /// Runs `python3 -m py_compile` on each file; nil when python3 is not installed.
    func pyCompile(_ files: [String]) throws -> [String: String]? {
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        which.arguments = ["python3", "--version"]
        which.standardOutput = FileHandle.nullDevice
        which.standardError = FileHandle.nullDevice
        do { try which.run(); which.waitUntilExit() } catch { return nil }
        guard which.terminationStatus == 0 else { return nil }
        var failures: [String: String] = [:]
        for file in files {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-m", "py_compile", file]
            let err = Pipe()
            p.standardError = err
            try p.run()
            p.waitUntilExit()
            if p.terminationStatus != 0 {
                failures[file] = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            }
        }
        return failures
    }

    func testEveryMethodsTrainScriptCompiles() throws {
        let dir = try temporaryDirectory()
        var script = "data = digits()\nimages = shapes(count: 64, size: 16)\n"
        var files: [String] = []
        for m in Self.methods {
            // A method with a queue (MoCo's keys, NNCLR's support set) gets a small one.
            let queue = TrainingMethods.named(m)?.settings.contains { $0.name == "queue_size" } == true ? ", queue_size: 64" : ""
            script += "export_pytorch(mlp([64, 16, 8]), data, \"\(dir)/\(m)\", method: \"\(m)\", epochs: 1, batch_size: 32\(queue))\n"
            script += "export_pytorch(convnet(widths: [4, 8]), images, \"\(dir)/\(m)-conv\", method: \"\(m)\", epochs: 1, batch_size: 32\(queue))\n"
            files += ["\(dir)/\(m)/train.py", "\(dir)/\(m)-conv/train.py"]
        }
        script += "export_pytorch(mlp([2, 8, 4]), blobs(count: 64), \"\(dir)/points\", epochs: 1, batch_size: 16)\n"
        files.append("\(dir)/points/train.py")
        try run(script)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertTrue(text.contains("def main():") && text.contains("LAB_NAMES = {"), file)
        }
        // The default views of images are real torchvision transforms; digits get the affine + noise.
        let conv = try String(contentsOfFile: "\(dir)/simclr-conv/train.py", encoding: .utf8)
        XCTAssertTrue(conv.contains("v2.RandomResizedCrop(16, scale=(0.35, 1.0)"), "simclr's crop on 16×16 shapes")
        XCTAssertTrue(conv.contains("v2.RandomApply([v2.ColorJitter(brightness=0.4"))
        XCTAssertTrue(conv.contains("nn.Conv2d(3, 4, kernel_size=3, stride=1, padding=1)"))
        let digits = try String(contentsOfFile: "\(dir)/simclr/train.py", encoding: .utf8)
        XCTAssertTrue(digits.contains("v2.RandomAffine(degrees=15.0, translate=(0.125, 0.125), scale=(0.9, 1.1)"))
        XCTAssertTrue(digits.contains("v2.GaussianNoise(mean=0.0, sigma=0.1, clip=False)"))
        let byol = try String(contentsOfFile: "\(dir)/byol-conv/train.py", encoding: .utf8)
        XCTAssertTrue(byol.contains("v2.RandomSolarize(threshold=0.5, p=0.2)"), "BYOL's second view solarises")
        guard let failures = try pyCompile(files) else {
            print("PyTorchExportTests: python3 is not installed, so the \(files.count) train.py files were not byte-compiled (everything else was checked)")
            return
        }
        XCTAssertEqual(failures, [:], "train.py files that do not compile")
    }

    func testTheFolderMapsEveryTensorToItsPyTorchName() throws {
        // In a written folder: init.safetensors holds network.name for every lab tensor, and
        // train.py maps each to its PyTorch name.
        let dir = try temporaryDirectory()
        try run("enc = mlp([64, 32, 16])\nexport_pytorch(enc, digits(), \"\(dir)\", method: \"byol\", epochs: 1)")
        let script = try String(contentsOfFile: "\(dir)/train.py", encoding: .utf8)
        let stored = try loadTensors(from: "\(dir)/init.safetensors").entries.map(\.name)
        XCTAssertEqual(stored.filter { $0.hasPrefix("encoder.") }.count, 8)
        XCTAssertEqual(stored.filter { $0.hasPrefix("projector.") }.count, 8)
        XCTAssertEqual(stored.filter { $0.hasPrefix("predictor.") }.count, 8)
        for name in stored {
            let (network, lab) = (String(name.prefix { $0 != "." }), String(name.drop { $0 != "." }.dropFirst()))
            let torch = network == "encoder" ? lab : "layers." + lab
            XCTAssertTrue(script.contains("\"\(torch)\": \"\(lab)\","), "train.py maps \(name)")
        }
        XCTAssertTrue(script.contains("TRAINABLE = [\"encoder\", \"projector\", \"predictor\"]"))
        XCTAssertTrue(script.contains("TARGETS = [\"encoder\", \"projector\"]"), "BYOL's entry declares EMA copies of both")
    }

    /// The networks and settings come from the entry: SimCLR has no targets; DCL's
    /// `weighted` reaches train.py, and its entry's loss record picks lightly's DCLWLoss.
    func testEntryNetworksAndDCLWeightedReachTrainScript() throws {
        let dir = try temporaryDirectory()
        try run("""
        export_pytorch(mlp([64, 16, 8]), digits(), "\(dir)/simclr", epochs: 1)
        export_pytorch(mlp([64, 16, 8]), digits(), "\(dir)/dcl", method: "dcl", epochs: 1)
        export_pytorch(mlp([64, 16, 8]), digits(), "\(dir)/dclw", method: "dcl", weighted: true, epochs: 1)
        """)
        let simclr = try String(contentsOfFile: "\(dir)/simclr/train.py", encoding: .utf8)
        XCTAssertTrue(simclr.contains("TRAINABLE = [\"encoder\", \"projector\"]\nTARGETS = []\n"))
        XCTAssertFalse(simclr.contains("\"weighted\":"))
        let dcl = try String(contentsOfFile: "\(dir)/dcl/train.py", encoding: .utf8)
        XCTAssertTrue(dcl.contains("    \"weighted\": False,"))
        let dclw = try String(contentsOfFile: "\(dir)/dclw/train.py", encoding: .utf8)
        XCTAssertTrue(dclw.contains("    \"weighted\": True,"))
        XCTAssertTrue(dcl.contains("    \"criterion\": \"DCLLoss\",\n"))
        XCTAssertTrue(dclw.contains("    \"criterion\": \"DCLWLoss\",\n    \"arguments\": {\"temperature\": EXPERIMENT[\"temperature\"], \"sigma\": 0.5,"))
    }

    /// NNCLR's entry declares its support set: train.py's LOSS takes each projection's nearest
    /// neighbour in the queue as the first side and the predictions as the second, and the
    /// second view's projections join the queue; init.safetensors holds the lab's initial
    /// support set, the one the method was built with.
    func testNNCLRExportsItsSupportSet() throws {
        let dir = try temporaryDirectory()
        try run("export_pytorch(mlp([64, 16, 8]), digits(), \"\(dir)\", method: \"nnclr\", epochs: 1, queue_size: 96)")
        let script = try String(contentsOfFile: "\(dir)/train.py", encoding: .utf8)
        XCTAssertTrue(script.contains("""
            LOSS = {
                "criterion": "NTXentLoss",
                "arguments": {"temperature": EXPERIMENT["temperature"], "gather_distributed": True},
                "first": "neighbours",
                "second": "predictions",
                "symmetric": True,
                "gather": False,
                "stop_gradient": False,
                "queue": {"joins": "projections", "views": [2], "argument": None},
            }
            """), script)
        XCTAssertTrue(script.contains("    \"queue_size\": 96,\n    \"embedding_dim\": 64,\n"))
        XCTAssertTrue(script.contains("TRAINABLE = [\"encoder\", \"projector\", \"predictor\"]\nTARGETS = []\n"))
        let queue = try XCTUnwrap(loadTensors(from: "\(dir)/init.safetensors")["queue"])
        XCTAssertEqual(queue.shape, [96, 64])
        // The lab's initial support set: random unit vectors.
        for row in 0..<96 {
            let norm = queue.values[(row * 64)..<((row + 1) * 64)].reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertEqual(norm, 1, accuracy: 1e-4)
        }
        let readme = try String(contentsOfFile: "\(dir)/README.md", encoding: .utf8)
        XCTAssertTrue(readme.contains("NNCLR's initial support set `queue`"), readme)
    }

    func testReadmeNamesVersionsCommandsAndFiles() throws {
        let dir = try temporaryDirectory()
        try run("enc = mlp([64, 32, 16])\nexport_pytorch(enc, digits(), \"\(dir)\", method: \"moco\", epochs: 3, queue_size: 128, reference_steps: 4)")
        let readme = try String(contentsOfFile: "\(dir)/README.md", encoding: .utf8)
        for needed in ["lightly | 1.6", "torch | 2.x", "torchvision", "safetensors",
                       "torchrun --nproc_per_node 2 train.py", "--data cifar10 --data-dir DIR", "--check-reference reference.safetensors",
                       "load(enc, \"weights.safetensors\")", "method: \"moco\"", "MoCo's initial `queue`",
                       "first 3 epochs", "first 4 steps", "--views-on device", "--backbone resnet18", "--benchmark 50",
                       "--rdzv_endpoint HOST:29500", "--checkpoint ckpt"] {
            XCTAssertTrue(readme.contains(needed), "README lacks \(needed)")
        }
        for file in ["train.py", "init.safetensors", "data.safetensors", "order.safetensors", "reference.safetensors", "README.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), file)
        }
        let data = try loadTensors(from: "\(dir)/data.safetensors")
        XCTAssertEqual(data["inputs"]?.shape, [1797, 1, 8, 8])
        XCTAssertEqual(data["labels"]?.values.prefix(3), [0, 1, 2])
        XCTAssertEqual(try loadTensors(from: "\(dir)/order.safetensors")["order"]?.shape, [3, 1797])
        XCTAssertEqual(try loadTensors(from: "\(dir)/init.safetensors")["queue"]?.shape, [128, 64])
        XCTAssertEqual(try loadTensors(from: "\(dir)/reference.safetensors")["losses"]?.shape, [4])
    }

    /// The exported set-up is `train`'s: the lab's reference run of the whole export gives
    /// the per-epoch losses `train` gives in a fresh session with the same seed (same
    /// heads, queue, seed, default views and batch order), for images and for points.
    func testExportSetsUpExactlyWhatTrainRuns() throws {
        let dir = try temporaryDirectory()
        let cases = [
            ("data = select(digits(), 0..200)\nenc = mlp([64, 16, 8])", "method: \"moco\", epochs: 2, batch_size: 64, queue_size: 128", 6),
            ("data = blobs(count: 96)\nenc = mlp([2, 16, 8])", "method: \"byol\", epochs: 2, batch_size: 32, schedule: \"cosine\", warmup_epochs: 1", 6),
            ("data = select(digits(), 0..200)\nenc = mlp([64, 16, 8])", "method: \"nnclr\", epochs: 2, batch_size: 64, queue_size: 96", 6),
        ]
        for (prefix, arguments, steps) in cases {
            try run("\(prefix)\nexport_pytorch(enc, data, \"\(dir)/x\", \(arguments), reference_steps: \(steps))", seed: 5)
            let trained = try run("\(prefix)\nrun = train(enc, data, \(arguments))\nfor l in run.losses { print(l) }", seed: 5)
            let expected = trained.split(separator: "\n").compactMap { Double($0) }
            let losses = try XCTUnwrap(loadTensors(from: "\(dir)/x/reference.safetensors")["losses"]?.values)
            XCTAssertEqual(losses.count, steps)
            XCTAssertEqual(expected.count, 2)
            let perEpoch = [losses[0..<steps / 2], losses[(steps / 2)...]].map { part in part.reduce(0.0) { $0 + Double($1) } / Double(part.count) }
            for (a, b) in zip(perEpoch, expected) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(b)), arguments) }
        }
    }

    func testWhatCannotBeExpressedIsALocatedError() throws {
        let dir = try temporaryDirectory()
        let wmse = failure("enc = mlp([64, 16, 8])\nexport_pytorch(enc, digits(), \"\(dir)\", method: \"wmse\")")
        XCTAssertTrue(wmse.contains("test.lab:2:") && wmse.contains("cannot be exported to PyTorch"), wmse)
        // The list of what can be exported is the table's.
        XCTAssertTrue(wmse.contains("exportable: " + Self.methods.joined(separator: ", ") + "\n"), wmse)
        XCTAssertEqual(Set(TrainingMethods.names).subtracting(Self.methods), ["wmse", "deepcluster"])
        let frozen = failure("enc = mlp([64, 16, 8])\nfreeze(enc)\nexport_pytorch(enc, digits(), \"\(dir)\")")
        XCTAssertTrue(frozen.contains("test.lab:3:") && frozen.contains("frozen"), frozen)
        let unknown = failure("enc = mlp([64, 16, 8])\nexport_pytorch(enc, digits(), \"\(dir)\", method: \"simclr\", optimizer: \"rmsprop\")")
        XCTAssertTrue(unknown.contains("test.lab:2:") && unknown.contains("optimizer"), unknown)
    }
}
