import Foundation
import XCTest

/// `Scripts/selfsup` and `Scripts/setup` on a learner's first run: one line per step, the
/// tools' output in a log under `.build/logs`, its last lines and path on failure, and
/// silence when there is nothing to do. They run in a copy of the scripts, with `swift`,
/// `dpkg-query` and `apt-get` replaced by small fakes first on PATH.
final class LauncherScriptTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    var root: URL!
    var fakes: URL!

    override func setUpWithError() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("launcher-\(UUID().uuidString)")
        root = base.appendingPathComponent("lab")
        fakes = base.appendingPathComponent("bin")
        addTeardownBlock { try? FileManager.default.removeItem(at: base) }
        for folder in ["Scripts", "Sources/selfsup"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: fakes, withIntermediateDirectories: true)
        for script in ["setup", "selfsup"] {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Scripts/" + script),
                                             to: root.appendingPathComponent("Scripts/" + script))
        }
        try "// swift-tools-version:6.0\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try "print(1)\n".write(to: root.appendingPathComponent("Sources/selfsup/main.swift"), atomically: true, encoding: .utf8)
        try fake("dpkg-query", "printf 'install ok installed'")
    }

    /// A fake command on PATH running `body` in sh.
    func fake(_ name: String, _ body: String) throws {
        let url = fakes.appendingPathComponent(name)
        try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// A built `selfsup` that says how it was called, its sources an hour older.
    func fakeBinary() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        let binary = root.appendingPathComponent(".build/release/selfsup")
        try "#!/bin/sh\necho \"ran selfsup $*\"\n".write(to: binary, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        let past = Date().addingTimeInterval(-3600)
        for path in ["Package.swift", "Sources/selfsup/main.swift", "Sources/selfsup", "Sources"] {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: root.appendingPathComponent(path).path)
        }
    }

    func launch(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/selfsup")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = fakes.path + ":/usr/bin:/bin"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func testNothingToDoIsSilent() throws {
        try fake("swift", "exit 0")
        try fakeBinary()
        let run = try launch(["--version"])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertEqual(run.out, "ran selfsup --version\n")
        XCTAssertEqual(run.err, "")
    }

    func testChangedSourcesSayRebuilding() throws {
        try fake("swift", "echo compiling; exit 0")
        try fakeBinary()
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)],
                                              ofItemAtPath: root.appendingPathComponent("Sources/selfsup/main.swift").path)
        let run = try launch(["lesson", "3"])
        let log = root.appendingPathComponent(".build/logs/build.log").path
        XCTAssertEqual(run.err, "selfsup: rebuilding selfsup (release; the sources changed); log: \(log)\n")
        XCTAssertEqual(run.out, "ran selfsup lesson 3\n", "the build's own output goes to the log only")
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "compiling\n")
    }

    func testAFailedFirstBuildShowsTheLogsLastLinesAndPath() throws {
        try fake("swift", "i=1; while [ $i -le 30 ]; do echo \"compile step $i\"; i=$((i+1)); done; echo 'error: no such module' >&2; exit 1")
        let run = try launch([])
        let log = root.appendingPathComponent(".build/logs/build.log").path
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.out, "")
        XCTAssertTrue(run.err.hasPrefix("selfsup: building selfsup (release, first time: a few minutes); log: \(log)\n"), run.err)
        XCTAssertTrue(run.err.contains("selfsup: the build failed; the last lines of \(log):\n    compile step 12\n"), run.err)
        XCTAssertTrue(run.err.contains("    compile step 30\n    error: no such module\n"), run.err)
        XCTAssertFalse(run.err.contains("compile step 11\n"), "only the last 20 lines: \(run.err)")
        XCTAssertTrue(run.err.hasSuffix("selfsup: the whole output is in \(log)\n"), run.err)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 31)
    }

    /// As root (the only case where setup runs apt): a step line per apt call, and apt's
    /// failure shown from its log.
    func testSetupSaysItsStepsAndShowsAptsFailure() throws {
        try XCTSkipUnless(getuid() == 0, "setup runs apt-get only as root")
        try fake("dpkg-query", "printf 'unknown ok not-installed'")
        try fake("apt-get", """
            case "$1" in
            update) echo "Hit:1 http://deb.debian.org/debian stable InRelease"; echo "Reading package lists...";;
            *) echo "Reading package lists..."; echo "E: Unable to locate package libzmq3-dev" >&2; exit 100;;
            esac
            """)
        try fake("swift", "exit 0")
        try fakeBinary()
        let run = try launch([])
        let log = root.appendingPathComponent(".build/logs/setup.log").path
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.out, "", "selfsup does not start after a failed set-up")
        XCTAssertEqual(run.err, """
            selfsup setup: updating Debian's package lists (log: \(log))
            selfsup setup: installing Debian packages: libedit-dev libopenblas-dev libzmq3-dev
            selfsup setup: apt-get install failed; the last lines of \(log):
                Hit:1 http://deb.debian.org/debian stable InRelease
                Reading package lists...
                Reading package lists...
                E: Unable to locate package libzmq3-dev
            selfsup setup: the whole output is in \(log)

            """)
    }
}
