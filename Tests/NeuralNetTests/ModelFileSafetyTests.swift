import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LabSupport
import TensorCore
@testable import NeuralNet

/// Writing a model file where something was planted, under a file-size limit, and
/// reading files whose header lies about its tensors.
final class ModelFileSafetyTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func model() -> Sequential {
        var rng = RandomGenerator(seed: 1)
        return mlp([3, 4, 2], rng: &rng)
    }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
    }

    func testSavingOntoSomethingThatIsNotARegularFileIsRefused() throws {
        let victim = path("victim.txt")
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path("link.safetensors"), withDestinationPath: victim)
        XCTAssertEqual(mkfifo(path("pipe.safetensors"), 0o600), 0)
        try FileManager.default.createDirectory(atPath: path("folder.safetensors"), withIntermediateDirectories: false)
        for (name, kind) in [("link.safetensors", "symbolic link"), ("pipe.safetensors", "FIFO"), ("folder.safetensors", "directory")] {
            XCTAssertThrowsError(try save(model(), to: path(name)), name) { error in
                XCTAssertTrue("\(error)".contains(kind) && "\(error)".contains("not a regular file"), "\(error)")
            }
        }
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        let link = try FileManager.default.attributesOfItem(atPath: path("link.safetensors"))[.type] as? FileAttributeType
        XCTAssertEqual(link, .typeSymbolicLink, "the link itself is left alone")
        XCTAssertThrowsError(try AtomicFileWrite.write("x", toPath: "/dev/null")) { error in
            XCTAssertTrue("\(error)".contains("character device"), "\(error)")
        }
        XCTAssertEqual(try leftovers(), [])
    }

    func testPlantedTemporaryFilesAreNeitherFollowedNorOverwritten() throws {
        let victim = path("victim.txt")
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        // Every name the old writer could have used, and a few more, point at the victim.
        let pid = ProcessInfo.processInfo.processIdentifier
        for name in [".m.safetensors.\(pid).tmp", ".m.safetensors.tmp", "m.safetensors.tmp"] {
            try FileManager.default.createSymbolicLink(atPath: path(name), withDestinationPath: victim)
        }
        try save(model(), to: path("m.safetensors"))
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        let loaded = model()
        try load(loaded, from: path("m.safetensors"))
        XCTAssertEqual(try leftovers().count, 3, "only the planted links remain")
        // Saving over an existing regular file replaces it.
        try save(model(), to: path("m.safetensors"))
        XCTAssertEqual(try leftovers().count, 3)
    }

    func testAFileSizeLimitIsAnErrorNotADeath() throws {
        var old = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old), 0)
        var small = old
        small.rlim_cur = 64
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &small), 0)
        defer { _ = setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old) }
        XCTAssertThrowsError(try save(model(), to: path("big.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("File too large"), "\(error)")
        }
        _ = setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        XCTAssertEqual(try leftovers(), [], "the partial temporary file is removed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("big.safetensors")))
    }

    /// A file with the given JSON header and a buffer of `buffer` zero bytes.
    func file(_ json: String, buffer: Int) -> [UInt8] {
        let h = Array(json.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + h + [UInt8](repeating: 0, count: buffer)
    }

    func testHeadersThatLieAboutTheirTensorsAreBadHeaders() {
        let cases: [(String, Int, String)] = [
            // Two tensors sharing the same bytes.
            (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, 8, "overlap"),
            // Overlapping ranges.
            (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#, 12, "overlap"),
            // A hole between tensors.
            (#"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}"#, 12, "unused"),
            // Trailing bytes after the last tensor.
            (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, 12, "follow the last tensor"),
            // One name twice (a JSON parser keeps one silently).
            (#"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, 8, "appears twice"),
            (#"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "\u0061": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, 8, "appears twice"),
            // A shape whose product overflows.
            (#"{"a": {"dtype": "F32", "shape": [4294967296, 4294967296, 16], "data_offsets": [0, 8]}}"#, 8, "far too few"),
            (#"{"a": {"dtype": "F32", "shape": [4611686018427387904], "data_offsets": [0, 8]}}"#, 8, "far too few"),
        ]
        for (json, buffer, fragment) in cases {
            XCTAssertThrowsError(try SafeTensors.decode(file(json, buffer: buffer)), json) { error in
                XCTAssertTrue("\(error)".contains("bad header") && "\(error)".contains(fragment), "\(json): \(error)")
            }
        }
        // Empty tensors may share an offset; a well-tiled file is accepted.
        let fine = #"{"e": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}"#
        XCTAssertNoThrow(try SafeTensors.decode(file(fine, buffer: 12)))
    }
}
