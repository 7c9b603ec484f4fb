import Foundation
import TensorCore
import XCTest
@testable import LabCLI

/// The OpenBLAS kernel set is chosen only where OpenBLAS chooses it itself: when the
/// library loads, before it has started a thread. `SELFSUP_BLAS_KERNELS` re-launches the
/// executable with `OPENBLAS_CORETYPE` set for the new image (`BLASKernelChoice`); no
/// code re-initialises OpenBLAS in a running process, which raced its pool threads.
final class BLASKernelChoiceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testPlan() {
        typealias C = BLASKernelChoice
        // Unset: whatever OpenBLAS loaded with, the user's OPENBLAS_CORETYPE included.
        XCTAssertEqual(C.plan(setting: nil, loadedCoreType: nil, relaunched: false), .keep)
        XCTAssertEqual(C.plan(setting: nil, loadedCoreType: "Haswell", relaunched: false), .keep)
        XCTAssertEqual(C.plan(setting: "environment", loadedCoreType: "Haswell", relaunched: false), .keep)
        // auto: CPU detection, so a set OPENBLAS_CORETYPE must be removed before loading.
        XCTAssertEqual(C.plan(setting: "auto", loadedCoreType: nil, relaunched: false), .keep)
        XCTAssertEqual(C.plan(setting: "auto", loadedCoreType: "Haswell", relaunched: false),
                       .relaunch(coreType: nil))
        // A name: loaded with it already, or start again with it.
        XCTAssertEqual(C.plan(setting: "Haswell", loadedCoreType: "Haswell", relaunched: false), .keep)
        XCTAssertEqual(C.plan(setting: "Haswell", loadedCoreType: nil, relaunched: false),
                       .relaunch(coreType: "Haswell"))
        XCTAssertEqual(C.plan(setting: "Haswell", loadedCoreType: "Zen", relaunched: false),
                       .relaunch(coreType: "Haswell"))
        // Never twice.
        XCTAssertEqual(C.plan(setting: "Haswell", loadedCoreType: "Zen", relaunched: true), .keep)
    }

    /// No source re-initialises OpenBLAS (the entry points whose use raced its threads).
    func testNothingReinitialisesOpenBLAS() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files = 0
        while let url = enumerator?.nextObject() as? URL {
            guard ["swift", "h", "c"].contains(url.pathExtension) else { continue }
            files += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for entry in ["gotoblas_dynamic_init", "gotoblas_dynamic_quit", "gotoblas_init", "blas_thread_init"] {
                let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                XCTAssertFalse(code.contains { $0.contains(entry) }, "\(url.lastPathComponent) calls \(entry)")
            }
        }
        XCTAssertGreaterThan(files, 50)
    }

    /// The executable, as users launch it: the bench's first line names the kernel set in
    /// use and where it came from.
    func testExecutableLoadsTheAskedSet() throws {
        func header(_ extra: [String: String]) throws -> String {
            var environment = ProcessInfo.processInfo.environment
            for key in ["SELFSUP_BLAS_KERNELS", "OPENBLAS_CORETYPE", BLASKernelChoice.relaunchedMarker,
                        BLASKernelChoice.userCoreTypeMarker] { environment[key] = nil }
            environment.merge(extra) { $1 }
            let (status, text) = try SelfsupExecutable.run(["bench", "--only", "no-such-workload"], environment: environment)
            XCTAssertEqual(status, 0, text)
            return text.split(separator: "\n").first.map { String($0) } ?? text
        }
        let detected = try header([:])
        let prefix = "# selfsup bench, threads 1, BLAS kernels "
        XCTAssertTrue(detected.hasPrefix(prefix), detected)
        let detectedName = detected.dropFirst(prefix.count).split(separator: " ").first.map(String.init) ?? ""
        XCTAssertEqual(detected, prefix + "\(detectedName) (OpenBLAS's CPU detection)")

        // The user's OPENBLAS_CORETYPE is respected by default.
        XCTAssertEqual(try header(["OPENBLAS_CORETYPE": "Haswell"]),
                       prefix + "Haswell (OPENBLAS_CORETYPE=Haswell)")
        // A named set is loaded by a fresh start, whatever the environment had.
        XCTAssertEqual(try header(["SELFSUP_BLAS_KERNELS": "Haswell"]),
                       prefix + "Haswell (SELFSUP_BLAS_KERNELS=Haswell)")
        XCTAssertEqual(try header(["SELFSUP_BLAS_KERNELS": "Haswell", "OPENBLAS_CORETYPE": "Sandybridge"]),
                       prefix + "Haswell (SELFSUP_BLAS_KERNELS=Haswell, over OPENBLAS_CORETYPE=Sandybridge)")
        // auto: CPU detection over the user's setting, which is put back for child processes.
        XCTAssertEqual(try header(["SELFSUP_BLAS_KERNELS": "auto", "OPENBLAS_CORETYPE": "Haswell"]),
                       prefix + "\(detectedName) (SELFSUP_BLAS_KERNELS=auto, over OPENBLAS_CORETYPE=Haswell)")
    }
}

/// The `selfsup` executable the build put beside the tests, run as a user would.
enum SelfsupExecutable {
    static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("selfsup")
    }

    /// Runs it (in `directory` when given); returns the exit status and standard output
    /// and error together.
    static func run(_ arguments: [String], environment: [String: String]? = nil,
                    directory: URL? = nil) throws -> (Int32, String) {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("no selfsup executable beside the tests at \(url.path): build it first")
        }
        return try runProgram(url, arguments, environment: environment, directory: directory)
    }

    /// Runs any program (in `directory` when given; with this process's environment unless
    /// one is given); returns the exit status and standard output and error together.
    static func runProgram(_ program: URL, _ arguments: [String], environment: [String: String]? = nil,
                           directory: URL? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = environment ?? ProcessInfo.processInfo.environment
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
