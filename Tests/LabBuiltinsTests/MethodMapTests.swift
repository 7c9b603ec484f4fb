import XCTest
import LabScript
import SelfSupervised
@testable import LabBuiltins

/// The map of lesson 8 is drawn from the training-method table: every entry is placed in
/// a known family, and nothing else is.
final class MethodMapTests: XCTestCase {
    func testEveryTableEntryIsPlacedInAKnownFamily() {
        XCTAssertEqual(Set(MethodFamilies.placement.keys), Set(TrainingMethods.names),
                       "place each method of TrainingMethods.all in MethodFamilies.placement")
        let families = Set(MethodFamilies.families.map(\.name))
        for (name, place) in MethodFamilies.placement {
            XCTAssertTrue(families.contains(place.family), "\(name)'s family \(place.family) is not on the map")
        }
        XCTAssertEqual(MethodFamilies.records.map(\.name), TrainingMethods.names, "the map follows the table's order")
    }

    func testMethodMapBuiltinListsTheTable() throws {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        let result = session.run("for m in method_map() { print(m.name, m.family) }", name: "map")
        if case .failure(let diagnostics) = result { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        let lines = sink.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.map { String($0.split(separator: " ")[0]) }, TrainingMethods.names)
        XCTAssertTrue(lines.contains("simclr contrastive"), sink.text)
    }

    func testCompareRejectsUnknownMethodsAndKeepsTheProtocolColumns() throws {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        let bad = session.run("compare(methods: [\"simclrr\"], data: digits())", name: "bad")
        guard case .failure(let diagnostics) = bad else { return XCTFail("an unknown method is an error") }
        XCTAssertTrue(DiagnosticRenderer().render(diagnostics).contains("did you mean 'simclr'"))
        let good = session.run("""
        t = compare(methods: ["simclr", "supervised"], data: subset(digits(), k: 15), epochs: 1, seeds: 2, draws: 1, show: false)
        print(t.columns)
        print(len(t.rows), t.rows[0].method, t.rows[1].method)
        print(t.rows[0].knn_std >= 0, t.rows[0].probe_3 > 0.1, t.rows[0].rankme >= 1)
        """, name: "good")
        if case .failure(let diagnostics) = good { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        XCTAssertEqual(sink.text, """
        ["method", "probe_1", "probe_3", "knn", "rankme", "alignment", "uniformity", "s_per_epoch"]
        2 simclr supervised
        true true true

        """)
    }

    func testCompareIsDeterministicAndKeepsFinishedRowsWhenInterrupted() throws {
        func leaderboard(cancelAfter: Int?) throws -> String {
            let sink = BufferOutputSink()
            let session = BuiltinContext(output: sink)
            var calls = 0
            if let cancelAfter {
                // Interrupt as Ctrl-C does, from inside the second training run.
                session.interpreter.register(NativeFunction(name: "tick", parameters: [], summary: "") { _, context in
                    calls += 1
                    if calls > cancelAfter { context.interpreter.cancellation.cancel() }
                    return .nilValue
                })
            }
            let code = """
            fn enc() { \(cancelAfter == nil ? "" : "tick()\n") return mlp([64, 32, 16]) }
            t = compare(methods: ["simclr", "barlow", "vicreg"], data: subset(digits(), k: 12), epochs: 2, encoder: enc, draws: 1, show: false)
            """
            _ = session.run(code, name: "c")
            guard case .host(let table as ChartValue)? = session.interpreter.globals.lookup("t") else { return "no table" }
            // Every column but the last (CPU seconds, which vary from run to run).
            return table.chart.render(.plain).split(separator: "\n").dropFirst()
                .map { $0.split(separator: " ").dropLast().joined(separator: " ") }.joined(separator: "\n")
        }
        let first = try leaderboard(cancelAfter: nil)
        XCTAssertEqual(try leaderboard(cancelAfter: nil), first, "same seed, same numbers")
        XCTAssertTrue(first.contains("simclr") && first.contains("vicreg"), first)
        let interrupted = try leaderboard(cancelAfter: 1)
        XCTAssertTrue(interrupted.contains("simclr"), interrupted)
        XCTAssertFalse(interrupted.contains("barlow") || interrupted.contains("vicreg"), "unfinished runs are left out: \(interrupted)")
    }
}
