import Foundation
import XCTest
@testable import PyTorchExport
import SelfSupervised

/// The train.py template (`Sources/PyTorchExport/Resources/train.py`): its slots, how they
/// are filled, and that it is Python that byte-compiles (`python3 -m py_compile`) and
/// lints clean (pyflakes from the venv `Scripts/test-jupyter` makes, `.build/jupyter-venv`).
final class TrainTemplateTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let template = root.appendingPathComponent("Sources/PyTorchExport/Resources/train.py").path

    func testTheTemplateHasTheGeneratedSlotsOnly() throws {
        let template = try TrainScript.template.get()
        XCTAssertEqual(template.slots, ["title", "versions", "settings", "trainable", "loss", "networks", "lab_names", "views"])
        let bundled = try String(contentsOfFile: Self.template, encoding: .utf8)
        XCTAssertTrue(bundled.hasPrefix("#!/usr/bin/env python3\n\"\"\"<<title>>, exported from SelfSup Lab."))
        XCTAssertTrue(bundled.hasSuffix("if __name__ == \"__main__\":\n    main()\n"))
    }

    /// train.py dispatches on the loss the entry declares (`LOSS`), never on a method's
    /// name: no method name appears in the template's fixed code, and every exportable
    /// entry's criterion is one the template's `CRITERIA` knows.
    func testTheTemplateReadsTheDeclaredLossNotTheMethodsName() throws {
        let template = try TrainScript.template.get()
        let fixed = template.parts.compactMap { if case .text(let text) = $0 { return text } else { return nil } }.joined()
        for method in TrainingMethods.all {
            XCTAssertFalse(fixed.contains("\"\(method.name)\""), "train.py names the method \(method.name) outside its slots")
        }
        guard let start = fixed.range(of: "\nCRITERIA = {\n"), let end = fixed[start.upperBound...].range(of: "\n}\n") else {
            return XCTFail("train.py has no CRITERIA table")
        }
        let table = fixed[start.upperBound..<end.lowerBound]
        let settings: [[String: MethodOption]] = [[:], ["weighted": .bool(true)], ["distance": .string("squared")]]
        var criteria: Set<String> = []
        for method in TrainingMethods.exportable {
            for values in settings {
                let loss = try XCTUnwrap(method.export).loss(values)
                criteria.insert(loss.criterion)
                XCTAssertTrue(table.contains("\"\(loss.criterion)\":"), "\(method.name): train.py has no criterion \(loss.criterion)")
                for case .setting(let name) in loss.arguments.map(\.value) + [loss.stopGradient] {
                    XCTAssertTrue(method.settings.contains { $0.name == name }, "\(method.name): its loss reads \(name), not one of its settings")
                }
            }
        }
        XCTAssertTrue(criteria.isSuperset(of: ["DCLLoss", "DCLWLoss", "squared_distance", "NegativeCosineSimilarity", "InfoNCE"]))
        // Every side the vocabulary has is one train.py reads by its name.
        for side in MethodLoss.Side.allCases {
            XCTAssertTrue(fixed.contains("\"\(side.rawValue)\""), "train.py never reads the side \(side.rawValue)")
        }
        // A queue the criterion is passed is one of its arguments' names; the "neighbours"
        // side reads the queue, so a loss with it declares one (NNCLR's support set).
        let losses = TrainingMethods.exportable.compactMap { $0.export?.loss([:]) }
        XCTAssertTrue(losses.contains { $0.first == .neighbours && $0.queue?.joins == .projections && $0.queue?.views == [2] },
                      "NNCLR's loss: the nearest neighbours of the projections, the second view joining the support set")
        XCTAssertTrue(losses.contains { $0.second == .targets && $0.queue?.argument == "queue" && $0.queue?.views == [1, 2] },
                      "MoCo's loss: InfoNCE reads the queue, both views' keys join it")
    }

    func testTheLossIsWrittenAsDeclared() {
        let code = TrainScript.lossCode(MethodLoss("InfoNCE", ["temperature": .setting("temperature"), "sigma": .constant(.float(0.5))],
                                                   first: .projections, second: .targets, symmetric: true,
                                                   stopGradient: .setting("stop_gradient"),
                                                   queue: MethodLoss.Queue(joins: .targets, views: [1, 2], argument: "queue")))
        XCTAssertEqual(code, """
            LOSS = {
                "criterion": "InfoNCE",
                "arguments": {"temperature": EXPERIMENT["temperature"], "sigma": 0.5},
                "first": "projections",
                "second": "targets",
                "symmetric": True,
                "gather": False,
                "stop_gradient": EXPERIMENT["stop_gradient"],
                "queue": {"joins": "targets", "views": [1, 2], "argument": "queue"},
            }
            """)
        XCTAssertTrue(TrainScript.lossCode(MethodLoss("NTXentLoss", first: .neighbours, second: .predictions,
                                                      queue: MethodLoss.Queue(joins: .projections, views: [2])))
            .contains("\n    \"queue\": {\"joins\": \"projections\", \"views\": [2], \"argument\": None},\n"))
        XCTAssertTrue(TrainScript.lossCode(MethodLoss("NTXentLoss", first: .projections, second: .projections))
            .contains("\n    \"queue\": None,\n"))
    }

    func testSlotsAreFilledOnceAndBlocksReplacedWhole() throws {
        let template = try ScriptTemplate("\"\"\"<<title>> for <<versions>>\"\"\"\nx = {\n    # <<body>>\n    \"sample\": 1,\n    # <</body>>\n}\ny = 2")
        XCTAssertEqual(template.slots, ["title", "versions", "body"])
        let text = try template.fill(["title": "<<versions>>", "versions": "v", "body": "    \"a\": 1,\n    \"b\": 2,"])
        XCTAssertEqual(text, "\"\"\"<<versions>> for v\"\"\"\nx = {\n    \"a\": 1,\n    \"b\": 2,\n}\ny = 2")
        XCTAssertThrowsError(try template.fill(["title": "", "versions": ""]), "a slot without a value")
        XCTAssertThrowsError(try template.fill(["title": "", "versions": "", "body": "", "other": ""]), "a value without a slot")
        XCTAssertThrowsError(try ScriptTemplate("a\n# <<open>>\nb\n"), "an unclosed block")
        XCTAssertThrowsError(try ScriptTemplate("a\n# <</open>>\n"), "a stray end marker")
    }

    /// Runs `arguments` under /usr/bin/env (status 127: the program is missing; nil: no env).
    /// Byte code goes to a temporary folder (PYTHONPYCACHEPREFIX), not next to the template.
    func run(_ arguments: [String]) throws -> (status: Int32, output: String)? {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("selfsup-pycache-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: cache) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPYCACHEPREFIX": cache]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testTheTemplateCompilesAndLintsClean() throws {
        guard let compiled = try run(["python3", "-m", "py_compile", Self.template]),
              compiled.status != 127 else {
            throw XCTSkip("python3 is not installed: the template was not byte-compiled")
        }
        XCTAssertEqual(compiled.status, 0, compiled.output)
        let python = Self.root.appendingPathComponent(".build/jupyter-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python), let lint = try run([python, "-m", "pyflakes", Self.template]),
              !lint.output.contains("No module named pyflakes") else {
            throw XCTSkip("no pyflakes in .build/jupyter-venv (Scripts/test-jupyter makes it): the template was not linted")
        }
        // One known finding is allowed (as in Scripts/test-jupyter): main()'s loop variable v2
        // (a view) shadows torchvision's v2, harmless there; renaming it would change every
        // exported train.py.
        let findings = lint.output.split(separator: "\n").filter {
            !($0.contains("train.py:") && $0.contains(" import 'v2' from line ") && $0.hasSuffix(" shadowed by loop variable"))
        }
        XCTAssertEqual(findings, [], "pyflakes")
        XCTAssertTrue(lint.status == 0 || !lint.output.isEmpty, "pyflakes failed without a finding")
    }
}
