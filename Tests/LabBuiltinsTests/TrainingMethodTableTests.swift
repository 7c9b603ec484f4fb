import Foundation
import XCTest
import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
@testable import LabBuiltins

/// The training methods are one table (`TrainingMethods.all`): dispatch, help, the
/// parameter docs, completion choices and suggestions read it, and no second list of
/// method names creeps back into the sources.
final class TrainingMethodTableTests: XCTestCase {
    func testTrainReadsTheTable() throws {
        let session = BuiltinContext(output: BufferOutputSink())
        let train = try XCTUnwrap(session.registry.function(named: "train"))
        let method = try XCTUnwrap(train.parameters.first { $0.name == "method" })
        XCTAssertEqual(method.choices, TrainingMethods.names)
        let details = train.details
        for entry in TrainingMethods.all {
            XCTAssertTrue(details.contains("\"\(entry.name)\" — \(entry.summary)"), "help(train) lists \(entry.name)")
            XCTAssertTrue(ViewPipelines.names.contains(entry.views), "\(entry.name)'s views \(entry.views) is a pipeline")
            for (setting, value) in entry.defaults {
                let parameter = try XCTUnwrap(train.parameters.first { $0.name == setting }, "train has a \(setting) parameter")
                XCTAssertTrue(parameter.documentation.contains("\(entry.title) \(value)"),
                              "the doc of \(setting) gives \(entry.title)'s default: \(parameter.documentation)")
            }
        }
        XCTAssertEqual(Set(TrainingMethods.names).count, TrainingMethods.names.count, "method names are unique")
        let temperature = try XCTUnwrap(train.parameters.first { $0.name == "temperature" })
        XCTAssertTrue(temperature.documentation.hasSuffix("SimCLR 0.5, MoCo v2 0.2, DCL 0.1, NNCLR 0.1"), temperature.documentation)
    }

    /// help(train) as a person sees it lists NNCLR, its settings' defaults and DCL's `weighted`.
    func testHelpOfTrainShowsNNCLRAndWeighted() throws {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        if case .failure(let diagnostics) = session.run("help(train)", name: "t") { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        let help = sink.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for needed in ["\"nnclr\" — NT-Xent between one view's prediction and the nearest neighbour",
                       "MoCo v2 1024, NNCLR 1024", "DCL 0.1, NNCLR 0.1",
                       "weighted", "DCL: true weights each positive pair by how hard it is", "DCL false"] {
            XCTAssertTrue(help.contains(needed), "help(train) lacks \(needed)")
        }
    }

    /// Each entry declares its networks: the encoder first, then the heads its factory builds
    /// by those names, then EMA targets of trained networks; the built method agrees.
    func testEachEntryDeclaresTheNetworksItBuilds() throws {
        for entry in TrainingMethods.all {
            var rng = RandomGenerator(seed: 3)
            var request = MethodRequest(encoder: mlp([4, 8], rng: &rng), features: 8, classes: 3, batchSize: 16, rng: rng)
            let built = try entry.make(&request)
            XCTAssertEqual(entry.trainedNetworks.first, "encoder", entry.name)
            XCTAssertEqual(built.heads.map(\.0), Array(entry.trainedNetworks.dropFirst()), entry.name)
            XCTAssertEqual(built.method.trainableModules.count, entry.trainedNetworks.count, entry.name)
            XCTAssertTrue(built.method.trainableModules.first === built.method.encoder, entry.name)
            XCTAssertEqual(built.method.auxiliaryModules.count, entry.targetNetworks.count, entry.name)
            for target in entry.targetNetworks {
                XCTAssertTrue(entry.trainedNetworks.contains(target.targetOf ?? ""), "\(entry.name): \(target.name)")
            }
            XCTAssertEqual(Set(entry.networks.map(\.name)).count, entry.networks.count, "\(entry.name): network names are unique")
        }
        XCTAssertEqual(TrainingMethods.named("moco")?.targetNetworks.map(\.name), ["target_encoder", "target_projector"])
        XCTAssertEqual(TrainingMethods.named("nnclr")?.networks.map(\.name), ["encoder", "projector", "predictor"])
    }

    /// DCL's `weighted` reaches the loss from train: the same seed gives other losses with
    /// DCLW, and `weighted: false` is the default.
    func testDCLWeightedIsReachableFromTrain() throws {
        func losses(_ extra: String) throws -> String {
            let sink = BufferOutputSink()
            let session = BuiltinContext(output: sink, seed: 4)
            let result = session.run("""
            run = train(mlp([2, 16, 8]), blobs(count: 64), method: "dcl", epochs: 2, batch_size: 32\(extra))
            print(run.losses)
            """, name: "t")
            if case .failure(let diagnostics) = result { XCTFail(DiagnosticRenderer().render(diagnostics)) }
            return sink.text
        }
        let plain = try losses(""), unweighted = try losses(", weighted: false"), weighted = try losses(", weighted: true")
        XCTAssertEqual(plain, unweighted)
        XCTAssertNotEqual(plain, weighted)
        XCTAssertFalse(weighted.isEmpty)
    }

    func testUnknownMethodSuggestsFromTheTable() {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        let result = session.run("enc = mlp([2, 4])\ntrain(enc, blobs(count: 16), method: \"bylo\", epochs: 1, batch_size: 8)", name: "t")
        guard case .failure(let diagnostics) = result else { return XCTFail("an unknown method is an error") }
        let text = DiagnosticRenderer().render(diagnostics)
        XCTAssertTrue(text.contains("did you mean 'byol'?"), text)
        XCTAssertTrue(text.contains(TrainingMethods.names.joined(separator: ", ")), text)
        XCTAssertTrue(text.contains("t:2:"), "located at the method argument: \(text)")
    }

    func testBadSettingIsLocatedAtItsArgument() {
        let session = BuiltinContext(output: BufferOutputSink())
        let result = session.run("enc = mlp([2, 4])\ntrain(enc, blobs(count: 16), method: \"simclr\", epochs: 1, batch_size: 8, temperature: -1)", name: "t")
        guard case .failure(let diagnostics) = result else { return XCTFail("a negative temperature is an error") }
        let text = DiagnosticRenderer().render(diagnostics)
        XCTAssertTrue(text.contains("t:2:74: error: train: temperature must be a number > 0, got -1"), text)
    }

    /// Every quoted method name in the Swift sources: a file holding three or more of
    /// them is a list of methods. Only the table may be one; the allowed exceptions use
    /// the same words for other things.
    func testNoSecondListOfMethodNames() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let allowed: [String: String] = [
            "TrainingMethods+Entries.swift": "the table itself",
            "NamedPipelines.swift": "view pipelines share some names (simclr, byol, barlow, vicreg)",
            "Builtins+Models.swift": "projector kinds (simclr, byol, simsiam)",
            "Builtins+Losses.swift": "loss builtins named like their methods (vicreg, wmse, dcl)",
            "DigitsExperiment.swift": "the experiment's arms, each naming its table entry",
            "DiagnosisBank.swift": "the bank's configurations for the diagnosis tests, each naming its table entry",
        ]
        let names = TrainingMethods.names
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 100)
        for file in files where allowed[(file as NSString).lastPathComponent] == nil {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let found = names.filter { text.contains("\"\($0)\"") }
            XCTAssertLessThan(found.count, 3, "\(file) lists method names \(found): add methods to TrainingMethods instead")
        }
    }

    /// Each entry declares its settings with what they accept; its defaults pass its own
    /// checks, and a value outside a setting's range is refused once, by the entry, at
    /// the argument.
    func testEachMethodDeclaresAndChecksItsSettings() throws {
        for entry in TrainingMethods.all {
            for spec in entry.settings {
                XCTAssertNoThrow(try spec.validate(spec.defaultValue), "\(entry.name).\(spec.name)")
                XCTAssertTrue(TrainingMethods.settings.contains { $0.name == spec.name }, "train has \(spec.name)")
            }
        }
        let cases: [(String, String, String)] = [
            ("simclr", "temperature: 0", "temperature must be a number > 0, got 0"),
            ("byol", "momentum: 1.5", "momentum must be a number from 0 to 1, got 1.5"),
            ("moco", "queue_size: 2.5", "queue_size must be a whole number from 1 to 1000000, got 2.5"),
            ("vicreg", "mu: -1", "mu must be a number ≥ 0, got -1"),
            ("positive-only", "distance: \"manhattan\"", "distance must be \"cosine\" or \"squared\", got \"manhattan\""),
            ("deepcluster", "clusters: 1", "clusters must be a whole number from 2 to 100000, got 1"),
            ("simsiam", "stop_gradient: 1", "stop_gradient must be true or false, got 1"),
            ("byol", "temperature: 0.1", "byol has no setting 'temperature' (its settings: momentum, momentum_schedule)"),
            ("nnclr", "queue_size: 0", "queue_size must be a whole number from 1 to 1000000, got 0"),
            ("nnclr", "temperature: -0.1", "temperature must be a number > 0, got -0.1"),
            ("nnclr", "momentum: 0.9", "nnclr has no setting 'momentum' (its settings: temperature, queue_size)"),
            ("dcl", "weighted: 1", "weighted must be true or false, got 1"),
            ("simclr", "weighted: true", "simclr has no setting 'weighted' (its settings: temperature)"),
        ]
        for (method, setting, message) in cases {
            let session = BuiltinContext(output: BufferOutputSink())
            let line = "train(mlp([2, 4]), blobs(count: 16), method: \"\(method)\", epochs: 1, batch_size: 8, \(setting))"
            guard case .failure(let diagnostics) = session.run(line, name: "t") else { XCTFail("\(method) \(setting) ran"); continue }
            XCTAssertEqual(diagnostics.first?.message, "train: " + message)
            let column = try XCTUnwrap(line.range(of: setting.split(separator: ":")[0] + ":")).lowerBound.utf16Offset(in: line) + 1
            XCTAssertEqual(diagnostics.first.map { $0.range.file.location(of: $0.range.start).column }, column, message)
        }
    }
}
