import ArgumentParser
import Foundation
import XCTest
import LabScript
@testable import LabCLI

/// `selfsup export-pytorch FILE.lab -o DIR`: the script's last train call (or the one on
/// --line) is exported with its own arguments and the script stops there.
final class ExportPyTorchCommandTests: XCTestCase {
    func testTheLastTrainCallIsExportedAndTheScriptStops() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("experiment.lab").path
        try """
            data = blobs(count: 64)
            fn first() { return train(mlp([2, 8, 4]), data, method: "byol", epochs: 1, batch_size: 16) }
            first()
            enc = mlp([2, 8, 4])
            run = train(enc, data, method: "vicreg", epochs: 2, batch_size: 32)
            expect(false, "the script stops at the exported call")
            """.write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(TrainCallFinder.lines(in: Parser.parse(SourceFile(name: "x", text: try String(contentsOfFile: script, encoding: .utf8))).statements), [2, 5])
        func run(_ arguments: [String]) throws {
            var command = try SelfSupCommand.parseAsRoot(arguments)
            try command.run()
        }
        let out = dir.appendingPathComponent("out").path
        try run(["export-pytorch", script, "-o", out])
        let train = try String(contentsOfFile: out + "/train.py", encoding: .utf8)
        XCTAssertTrue(train.contains("\"method\": \"vicreg\"") && train.contains("\"batch_size\": 32") && train.contains("\"epochs\": 2"))
        let inFunction = dir.appendingPathComponent("first").path
        try run(["export-pytorch", script, "-o", inFunction, "--line", "2"])
        XCTAssertTrue(try String(contentsOfFile: inFunction + "/train.py", encoding: .utf8).contains("\"method\": \"byol\""))
        XCTAssertThrowsError(try run(["export-pytorch", script, "-o", out, "--line", "4"])) { error in
            XCTAssertEqual((error as? ExitCode)?.rawValue, 2, "line 4 has no train call")
        }
    }
}
