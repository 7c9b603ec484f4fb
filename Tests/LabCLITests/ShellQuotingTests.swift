import Foundation
import XCTest
@testable import LabCLI

/// export-pytorch's "next: cd DIR && …" line quotes the folder for a POSIX shell.
final class ShellQuotingTests: XCTestCase {
    func testNextStepLineRunsInTheFolderAndNothingElse() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let names = ["my run", "it's \"here\"", "$(touch pwned)", "a; touch pwned2", "`touch pwned3`", "-n", "tab\there", "x'; touch pwned4; '"]
        for name in names {
            try FileManager.default.createDirectory(at: base.appendingPathComponent(name), withIntermediateDirectories: true)
            let line = ExportPyTorchCommand.nextStep(directory: name)
            let prefix = "next: ", suffix = " && python train.py --epochs 1 --out weights.safetensors   (README.md has the rest)"
            XCTAssertTrue(line.hasPrefix(prefix) && line.hasSuffix(suffix), line)
            let cd = String(line.dropFirst(prefix.count).dropLast(suffix.count))
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", cd + " && pwd -P"]
            shell.currentDirectoryURL = base
            let pipe = Pipe()
            shell.standardOutput = pipe
            try shell.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            XCTAssertEqual(shell.terminationStatus, 0, "\(name): \(cd)")
            XCTAssertTrue(output.hasSuffix("/" + name + "\n"), "\(name): the shell went to \(output)")
        }
        let planted = try FileManager.default.contentsOfDirectory(atPath: base.path).filter { $0.hasPrefix("pwned") }
        XCTAssertEqual(planted, [], "a folder name ran a command")
        XCTAssertEqual(shellQuoted("it's"), "'it'\\''s'")
    }
}
