import Display
import LabScript
import SelfSupervised
import XCTest
@testable import LabBuiltins

/// `diagnose(run)` and `diagnose(enc, data)`: the record a script reads, and located errors
/// for arguments of the wrong type.
final class DiagnoseBuiltinTests: XCTestCase {
    func testACollapsedRunGivesTheVerdictWhereCauseAndFix() {
        let (output, error) = runScript("""
            run = train(mlp([64, 32], batch_norm: false), digits(), method: "positive-only", epochs: 3, batch_size: 128, seed: 1)
            d = diagnose(run)
            print(type(d))
            print(d.verdict, "|", d.where, "|", d.fix, "|", d.lesson)
            print(d.cause)
            print(d.evidence.loss.trivial, len(d.evidence.thresholds), d.evidence.encoder.mean_share > 0.95)
            print(len(d.evidence.trajectory.rankme), len(d.evidence.trajectory.loss))
            """)
        XCTAssertNil(error)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "diagnosis")
        XCTAssertEqual(lines.dropFirst().first, "complete collapse | encoder | [\"method: \\\"simsiam\\\"\", \"method: \\\"simclr\\\"\"] | 7")
        XCTAssertTrue(output.contains("positive pairs only"), output)
        XCTAssertTrue(output.contains("-1 1 true"), output)
        XCTAssertTrue(output.contains("4 3"), output)   // the initial measurement and three epochs
    }

    func testAHealthyRunAndAnEncoderMeasuredAlone() {
        let (output, error) = runScript("""
            data = digits()
            enc = mlp([64, 128, 32])
            run = train(enc, data, method: "simclr", epochs: 2, batch_size: 128, seed: 2)
            d = diagnose(run)
            print(d.verdict, d.where, d.fix, d.lesson)
            e = diagnose(enc, data)
            print(e.verdict, e.evidence.encoder.dimension, e.evidence.loss.epochs)
            print(d)
            """)
        XCTAssertNil(error)
        XCTAssertTrue(output.hasPrefix("healthy nil [] nil\nhealthy 32 0\n"), output)
        XCTAssertTrue(output.contains("diagnosis: healthy"), output)
    }

    func testTheLiveMonitorWarnsOnceWhereProgressGoesAndMonitorFalseSilencesIt() {
        let train = "train(mlp([64, 32], batch_norm: false), digits(), method: \"positive-only\", epochs: 4, batch_size: 128, seed: 1"
        let warning = "⚠ complete collapse at the encoder from epoch "
        for (arguments, count) in [(", verbose: true)", 1), (", progress: true)", 1), (", verbose: true, monitor: false)", 0), (")", 0)] {
            let (output, error) = runScript(train + arguments)
            XCTAssertNil(error)
            XCTAssertEqual(output.components(separatedBy: warning).count - 1, count, "\(arguments): \(output)")
            if count > 0 { XCTAssertTrue(output.contains("fix: method: \"simsiam\" or method: \"simclr\" (lesson 7)"), output) }
        }
        // A healthy run says nothing.
        let (output, _) = runScript("train(mlp([64, 128, 32]), digits(), method: \"simclr\", epochs: 3, batch_size: 128, seed: 2, verbose: true)")
        XCTAssertFalse(output.contains("⚠"), output)
    }

    func testShowDrawsTheDashboard() {
        let (output, error) = runScript("""
            run = train(mlp([64, 32], batch_norm: false), digits(), method: "positive-only", epochs: 3, batch_size: 128, seed: 1)
            show(diagnose(run))
            show(diagnose(mlp([64, 32]), digits()))
            """)
        XCTAssertNil(error)
        XCTAssertEqual(output.components(separatedBy: "std of the L2-normalised outputs, per epoch").count - 1, 2, output)
        XCTAssertEqual(output.components(separatedBy: "centred RankMe, per epoch").count - 1, 2, output)
        XCTAssertEqual(output.components(separatedBy: "singular values of the last centred outputs").count - 1, 2, output)
        // Only the run has a loss to draw, with the constant solution's beside it.
        XCTAssertEqual(output.components(separatedBy: "loss per epoch against the constant solution's loss").count - 1, 1, output)
        XCTAssertTrue(output.contains("constant solution"), output)
    }

    func testTheDashboardDrawsEachOutputsSpectrumAndACollapsedOneFallsOff() throws {
        var figures: [Chart] = []
        // VICReg without its covariance term collapses dimensionally at the expander; with it, not.
        let source = """
            collapsed = train(mlp([64, 128, 32]), digits(), method: "vicreg", epochs: 4, batch_size: 128, seed: 1, nu: 0)
            healthy = train(mlp([64, 128, 32]), digits(), method: "vicreg", epochs: 4, batch_size: 128, seed: 1)
            show(diagnose(collapsed))
            show(diagnose(healthy))
            print(diagnose(collapsed).verdict, diagnose(healthy).verdict)
            """
        let output = BufferOutputSink()
        let session = BuiltinContext(output: output)
        session.state.figureSink = { figures.append($0) }
        if case .failure(let diagnostics) = session.run(source, name: "t") { XCTFail(DiagnosticRenderer().render(diagnostics)); return }
        XCTAssertTrue(output.take().hasSuffix("dimensional collapse healthy\n"))
        let spectra = figures.filter { $0.title?.hasPrefix("singular values of the last centred outputs") ?? false }
        XCTAssertEqual(spectra.count, 2)
        func run(_ name: String) throws -> RunValue {
            guard case .host(let run as RunValue)? = session.interpreter.globals.lookup(name) else { throw XCTSkip("no run \(name)") }
            return run
        }
        var fourth: [Double] = []
        for (chart, name) in zip(spectra, ["collapsed", "healthy"]) {
            XCTAssertTrue(chart.logY)
            guard case .lines(let series) = chart.content else { XCTFail("not a line plot"); continue }
            let history = try run(name).history
            // One series per network output measured: its singular values after the last epoch, largest first.
            XCTAssertEqual(series.map(\.name), history.measuredOutputs.map(\.rawValue))
            for line in series {
                let output = try XCTUnwrap(NetworkOutput(rawValue: line.name))
                let last = try XCTUnwrap(history.epochs.last?.outputs[output])
                XCTAssertEqual(line.y, last.singularValues)
                XCTAssertEqual(line.y.count, min(history.probeSize, last.dimension))
                XCTAssertEqual(line.x, (1...line.y.count).map(Double.init))
                XCTAssertEqual(line.y, line.y.sorted(by: >))
            }
            // The expander's spectrum: its fourth singular value against its first.
            let expander = try XCTUnwrap(series.first { $0.name == "projector" }).y
            fourth.append(expander[3] / expander[0])
        }
        // The collapsed run's spectrum falls off after its first few values (measured: σ₄/σ₁ 0.045 against 0.76).
        XCTAssertLessThan(fourth[0], 0.25 * fourth[1], "\(fourth)")
    }

    func testWrongArgumentsAreLocatedErrors() {
        let cases: [(String, String)] = [
            ("diagnose(3)", "t:1:10: error: diagnose: argument 'x' must be a run (from train) or an encoder, got number"),
            ("diagnose(mlp([4, 2]))", "argument 'data' must be a data set"),
            ("diagnose(mlp([4, 2]), \"digits\")", "t:1:23: error: diagnose: argument 'data' must be a data set"),
            ("r = train(mlp([2, 4]), blobs(count: 32), epochs: 1, batch_size: 16)\ndiagnose(r, blobs())", "t:2:13: error: diagnose: argument 'data' must be nil with a run"),
            ("diagnose(mlp([64, 2]), select(digits(), [0]))", "needs at least 2 inputs"),
        ]
        for (source, message) in cases {
            let (_, error) = runScript(source)
            XCTAssertTrue(error?.contains(message) ?? false, "\(source): \(error ?? "no error")")
        }
    }
}
