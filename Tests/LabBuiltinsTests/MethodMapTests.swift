import XCTest
import LabScript
import SelfSupervised
@testable import LabBuiltins

/// The map of lesson 8 is drawn from the training-method table: every entry is placed in
/// a known family, and nothing else is.
final class MethodMapTests: XCTestCase {
    /// The map lists the course's methods (`TrainingMethod.inCourse`), in table order, each
    /// with the family and lesson its entry declares; a method added later (NNCLR) is in
    /// `train` and `compare` but not on lesson 8's map until its entry joins the course.
    func testMethodMapBuiltinListsTheCourse() throws {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        let result = session.run("for m in method_map() { print(m.name, m.family, m.lesson) }", name: "map")
        if case .failure(let diagnostics) = result { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        let lines = sink.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.map { String($0.split(separator: " ")[0]) }, TrainingMethods.course.map(\.name))
        XCTAssertEqual(TrainingMethods.course.map(\.name), ["simclr", "moco", "byol", "simsiam", "barlow", "vicreg", "wmse", "dcl",
                                                          "positive-only", "deepcluster", "supervised"])
        XCTAssertTrue(lines.contains("simclr contrastive \(LessonTitles.title(4))"), sink.text)
        XCTAssertTrue(lines.contains("dcl contrastive nil"), sink.text)
        XCTAssertTrue(lines.contains("positive-only none (collapses) \(LessonTitles.title(3))"), sink.text)
        XCTAssertTrue(TrainingMethods.names.contains("nnclr"))
        XCTAssertFalse(TrainingMethods.course.contains { $0.name == "nnclr" })
        XCTAssertTrue(Builtins.comparedMethods.contains("nnclr"), "compare's default is every method but the collapsing ones")
        XCTAssertFalse(Builtins.comparedMethods.contains("positive-only"))
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
        print(len(t.rows), t.rows[0].method, t.rows[1].method, t.rows[2].method)
        print(t.rows[1].knn_std >= 0, t.rows[1].probe_3 > 0.1, t.rows[1].rankme >= 1)
        print(t.rows[0].setting, t.rows[0].s_per_epoch, t.rows[1].setting, t.rows[2].setting)
        print(len(t.runs), t.runs[0].method, t.runs[0].seed, t.runs[3].seed, len(t.tuning))
        """, name: "good")
        if case .failure(let diagnostics) = good { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        XCTAssertEqual(sink.text, """
        ["method", "setting", "probe_1", "probe_3", "knn", "rankme", "alignment", "uniformity", "s_per_epoch"]
        3 random init simclr supervised
        true true true
        untrained 0 temperature 0.5 nil
        6 random init 0 1 0

        """)
    }

    /// Each entry's tuning grid: its own setting, at most three values the spec accepts,
    /// the default first (so a two-point grid keeps it).
    func testTuningGridsBelongToTheirEntries() throws {
        var tuned = 0
        for m in TrainingMethods.all {
            guard let t = m.tuning else { continue }
            tuned += 1
            let spec = try XCTUnwrap(m.settings.first { $0.name == t.setting }, "\(m.name) tunes \(t.setting), which it does not read")
            XCTAssertTrue((1...3).contains(t.grid.count), m.name)
            XCTAssertEqual(Set(t.grid).count, t.grid.count, "\(m.name): repeated grid values")
            for v in t.grid { XCTAssertNoThrow(try spec.validate(.number(v)), "\(m.name) \(t.setting) \(v)") }
            XCTAssertEqual(MethodOption.number(t.grid[0]), spec.defaultValue, "\(m.name): the grid starts with the default")
            XCTAssertEqual(t.values(points: 2), Array(t.grid.prefix(2)))
        }
        XCTAssertGreaterThanOrEqual(tuned, 7, "the SSL methods with a numeric key setting declare a grid")
    }

    /// heads: builds each method's heads afresh (here without BatchNorm) and options: reaches
    /// train (here SGD); options may not change what the protocol fixes.
    func testCompareTakesHeadsAndTrainOptions() throws {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        let result = session.run("""
        fn enc() { return mlp([64, 32, 16], batch_norm: false) }
        fn heads(m) { return {projector: mlp([16, 16, 8], batch_norm: false), predictor: mlp([8, 4, 8], batch_norm: false)} }
        t = compare(methods: ["simsiam"], data: subset(digits(), k: 12), epochs: 1, encoder: enc, heads: heads,
                    options: {optimizer: "sgd", learning_rate: 0.05, weight_decay: 0.0001}, draws: 1, show: false, progress: false)
        print(len(t.rows), t.rows[1].method, t.rows[1].probe_3 > 0)
        """, name: "heads")
        if case .failure(let diagnostics) = result { return XCTFail(DiagnosticRenderer().render(diagnostics)) }
        XCTAssertEqual(sink.text, "2 simsiam true\n")
        let bad = session.run("compare(methods: [\"simclr\"], data: subset(digits(), k: 12), options: {epochs: 3})", name: "bad")
        guard case .failure(let diagnostics) = bad else { return XCTFail("options may not set epochs") }
        XCTAssertTrue(DiagnosticRenderer().render(diagnostics).contains("options cannot set epochs"))
    }

    /// With tune: true every grid point is trained and scored on the validation split, the
    /// choice is printed, kept in .tuning and used in the table; the run repeats exactly.
    func testCompareTunesOnAValidationSplitAndRepeats() throws {
        func run() throws -> String {
            let sink = BufferOutputSink()
            let session = BuiltinContext(output: sink)
            let result = session.run("""
            t = compare(methods: ["byol", "wmse", "moco"], data: subset(digits(), k: 12), epochs: 1, seeds: [3], draws: 1,
                        tune: true, grid_points: 2, show: false, progress: false)
            for r in t.tuning { print(r.method, r.setting, r.values, len(r.validation_probe_3), r.chosen) }
            for r in t.rows { print(r.method, r.setting, round(r.probe_3, 4)) }
            """, name: "tune")
            if case .failure(let diagnostics) = result { XCTFail(DiagnosticRenderer().render(diagnostics)) }
            return sink.text
        }
        let text = try run()
        XCTAssertTrue(text.contains("byol momentum [0.9, 0.99] 2 "), text)
        XCTAssertTrue(text.contains("moco temperature [0.2, 0.1] 2 "), text)
        XCTAssertFalse(text.contains("wmse temperature"), "a method without a grid is not tuned: \(text)")
        XCTAssertTrue(text.contains("compare: tuning on a validation split"), text)
        XCTAssertTrue(text.contains("random init untrained"), text)
        XCTAssertEqual(try run(), text, "same seed, same numbers")
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
        // The encoder is built for the random-init row, then simclr; the third build (barlow) interrupts.
        let interrupted = try leaderboard(cancelAfter: 2)
        XCTAssertTrue(interrupted.contains("simclr"), interrupted)
        XCTAssertFalse(interrupted.contains("barlow") || interrupted.contains("vicreg"), "unfinished runs are left out: \(interrupted)")
    }
}
