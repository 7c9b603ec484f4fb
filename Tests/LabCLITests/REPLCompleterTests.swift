import Foundation
import LabBuiltins
import LabScript
import Notebook
import SelfSupervised
import XCTest
@testable import LabCLI

final class REPLCompleterTests: XCTestCase {
    let session = ScriptSession(output: BufferOutputSink())

    func completer() -> (REPLCompleter, REPLHost) {
        let host = REPLHost(session: session)
        host.currentScope = host.interpreter.makeScope()
        return (host.completer, host)
    }

    func testBuiltinNamesComplete() {
        let (completer, _) = completer()
        XCTAssertEqual(completer.complete("loss = nt_x").candidates, ["nt_xent"])
    }

    func testNamedArgumentsInsideACallShowTheSignature() {
        let (completer, _) = completer()
        let result = completer.complete("loss = nt_xent(z1, z2, temp")
        XCTAssertEqual(result.candidates.first, "temperature:")
        XCTAssertEqual(result.hint, "nt_xent(z1, z2, temperature = 0.5)")
    }

    func testMembersAfterADot() {
        let (completer, host) = completer()
        host.currentScope?.define("x", .nilValue)
        _ = host.interpreter.runREPL("x = randn(2, 2)", in: host.currentScope)
        let candidates = completer.complete("x.sh").candidates
        XCTAssertEqual(candidates, ["x.shape"])
    }

    func testVariablesAndMetaCommands() {
        let (completer, host) = completer()
        host.currentScope?.define("my_encoder", .nilValue)
        XCTAssertEqual(completer.complete("print(my_e").candidates, ["my_encoder"])
        XCTAssertEqual(completer.complete(":va").candidates, ["vars"])
        XCTAssertEqual(completer.complete(":help nt_x").candidates, ["nt_xent"])
    }

    func testPathsInsideStrings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("completer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.path + "/model.safetensors", contents: Data())
        defer { try? FileManager.default.removeItem(at: dir) }
        let (completer, _) = completer()
        XCTAssertEqual(completer.complete("load(enc, \"\(dir.path)/mo").candidates, [dir.path + "/model.safetensors"])
    }

    func testEnclosingCallSkipsClosedCalls() {
        XCTAssertEqual(REPLCompleter.enclosingCall("train(enc, digits(), meth"), "train")
        XCTAssertEqual(REPLCompleter.enclosingCall("x = relu(y)"), nil)
    }

    /// Completion reads the registry: every builtin completes from its own name, and the
    /// signature shown inside a call is the registry entry's.
    func testEveryRegistryBuiltinCompletesWithItsSignature() {
        let (completer, _) = completer()
        for entry in session.context.registry.functions {
            XCTAssertTrue(completer.complete("x = " + entry.name).candidates.contains(entry.name), entry.name)
            if !entry.parameters.isEmpty {
                XCTAssertEqual(completer.complete("x = \(entry.name)(").hint, entry.signature, entry.name)
            }
        }
    }

    func testMemberCompletionOfARecordAndOfAnUnknownName() {
        let (completer, host) = completer()
        _ = host.interpreter.runREPL("cfg = {lr: 0.1, epochs: 5}", in: host.currentScope)
        XCTAssertEqual(completer.complete("cfg.e").candidates, ["cfg.epochs"])
        XCTAssertEqual(completer.complete("nosuch.").candidates, [])
    }

    /// `method:` values come from the training-method table.
    func testMethodValuesComplete() {
        let (completer, _) = completer()
        XCTAssertEqual(completer.complete("run = train(enc, d, method: \"si").candidates, ["simclr", "simsiam"])
        XCTAssertEqual(completer.complete("train(enc, d, epochs: 2, method:\"").candidates, TrainingMethods.names)
        XCTAssertEqual(completer.complete("train(enc, d, method: \"zz").candidates, [])
    }
}
