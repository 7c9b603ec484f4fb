import Foundation
import LabScript
import XCTest
@testable import Notebook

final class GraderZScratch: XCTestCase {
    func testScratch() throws {
        let path = ProcessInfo.processInfo.environment["SCRATCH"] ?? "/tmp/t1.lab"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let sink = BufferOutputSink()
        let session = ScriptSession.standard(output: sink, cancellation: CancellationFlag())
        let result = session.interpreter.run(text, name: path)
        print("=====OUT\n" + sink.text)
        if case .failure(let d) = result { print(DiagnosticRenderer().render(d)) }
    }
}
extension GraderZScratch {
    func testShowReports() throws {
        let name = ProcessInfo.processInfo.environment["EX"] ?? "01-backward"
        let t = GraderExerciseTests(name: "x", testClosure: { _ in })
        let names: [String] = (try? FileManager.default.contentsOfDirectory(atPath: GraderTestSupport.fixtures.path)) ?? []
        let fixtures: [URL] = names.filter { $0.hasPrefix(name) }.sorted().map { t.fixture($0) }
        for url in [t.starter(name), t.solution(name)] + fixtures {
            print("=====", url.lastPathComponent)
            print(try t.grade(name, file: url).humanText())
        }
    }
}
