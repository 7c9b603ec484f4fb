import Foundation
import LabBuiltins
import LabScript
import Notebook
import XCTest
@testable import LabCLI

/// One session object: every front end's session is a `ScriptSession` made by its one
/// initialiser, which installs the exercise builtins; the sessions differ only by their
/// options.
final class SessionTests: XCTestCase {
    /// The names a session's scripts see, with the group the registry files each under.
    func exerciseGroup(_ session: ScriptSession) -> [String] {
        ExerciseBuiltins.all.map(\.name).filter { session.context.registry.groupTitle(of: $0) == "Exercises" }
    }

    func quick(_ session: ScriptSession) -> Value? { session.interpreter.builtins.lookup("quick") }

    func testTheCommandsSessionHasTheOptionsQuickAndTheExerciseBuiltins() throws {
        let options = try CommonOptions.parse(["--seed", "7", "--quick"])
        let session = options.makeSession(output: BufferOutputSink(), terminal: .plain)
        XCTAssertEqual(session.context.seed, 7)
        guard case .bool(true)? = quick(session) else { return XCTFail("no quick = true") }
        XCTAssertEqual(exerciseGroup(session), ["todo", "check", "expect_equal", "expect_shape"])
        XCTAssertNotNil(session.context.registry.function(named: "randn"))
        let unquick = try CommonOptions.parse([]).makeSession(output: BufferOutputSink(), terminal: .plain)
        guard case .bool(false)? = quick(unquick) else { return XCTFail("no quick = false") }
    }

    /// The grader's sessions (a hand-in, `check()`) are the same object with the default
    /// options: every builtin, the exercise builtins, no `quick`.
    func testTheGradersSessionIsTheSameObjectWithoutQuick() {
        let session = ScriptSession.standard(output: BufferOutputSink(), cancellation: CancellationFlag())
        XCTAssertNil(quick(session))
        XCTAssertEqual(session.context.seed, BuiltinState.defaultSeed)
        XCTAssertEqual(exerciseGroup(session), ["todo", "check", "expect_equal", "expect_shape"])
        XCTAssertNotNil(session.context.registry.function(named: "train"))
    }

    func testALanguageOnlySessionHasTheExerciseBuiltinsButNoTensors() {
        let session = ScriptSession.languageOnly(output: BufferOutputSink(), cancellation: CancellationFlag())
        XCTAssertEqual(exerciseGroup(session), ["todo", "check", "expect_equal", "expect_shape"])
        XCTAssertNil(session.interpreter.builtins.lookup("randn"))
        XCTAssertNotNil(session.interpreter.builtins.lookup("print"))
        guard case .failure(let diagnostics) = session.context.run("todo(\"the loss\")", name: "t.lab") else {
            return XCTFail("todo did not stop the script")
        }
        XCTAssertTrue(diagnostics.first?.message.contains("not done yet: the loss") ?? false, "\(diagnostics)")
    }

    /// The REPL and the kernel are built from the session: what `reseed` and the help of a
    /// `REPLHost` reach is that session's.
    func testTheREPLHostIsAViewOfTheSession() {
        let session = ScriptSession(output: BufferOutputSink())
        let host = REPLHost(session: session)
        XCTAssertTrue(host.interpreter === session.interpreter)
        host.reseed(42)
        XCTAssertEqual(session.context.seed, 42)
        XCTAssertEqual(host.help("todo"), session.context.documentation(for: "todo"))
    }

    /// The exercise builtins are installed in one place: only `ScriptSession` adds their group.
    func testTheExerciseBuiltinsAreInstalledInOnePlace() throws {
        XCTAssertEqual(try SingleSourceTests.filesListing(["Exercises"], threshold: 1),
                       ["Sources/Notebook/Execution/ScriptSession.swift"])
    }
}
