import Foundation
import LabBuiltins
import LabScript
import LineEditor
import Notebook
import XCTest
@testable import LabCLI

/// The REPL driven by scripted input, through the same `REPLHost` the command builds.
final class REPLTranscriptTests: XCTestCase {
    /// Runs `lines` through a REPL over a fresh lab session; returns the transcript.
    func transcript(_ lines: [String?], host: REPLHost? = nil) -> (text: String, input: ScriptedLines, host: REPLHost) {
        let session = ScriptSession(output: BufferOutputSink())
        let host = host ?? REPLHost(session: session)
        let input = ScriptedLines(lines)
        var text = ""
        let sink = ClosureSink { text += $0 }
        host.interpreter.output = sink
        let repl = REPL(host: host, input: input) { text += $0 }
        repl.run(showWelcome: false)
        return (text, input, host)
    }

    func testContinuationPromptsUntilTheParserSaysComplete() {
        let (text, input, _) = transcript(["fn double(x) {", "  return 2 * x", "}", "double(21)"])
        XCTAssertEqual(input.prompts, [REPL.prompt, REPL.continuationPrompt, REPL.continuationPrompt,
                                       REPL.prompt, REPL.prompt])
        XCTAssertEqual(text, "42\n")
    }

    func testOpenBracketAndStringContinue() {
        let (text, input, _) = transcript(["xs = [1,", "2, 3]", "print(\"a", "b\")", "len(xs)"])
        XCTAssertEqual(input.prompts.filter { $0 == REPL.continuationPrompt }.count, 2)
        XCTAssertEqual(text, "a\nb\n3\n")
    }

    func testAnErrorThenASuccessfulLine() {
        let (text, _, _) = transcript(["y = undefined_name + 1", "y = 2", "y * 3"])
        XCTAssertTrue(text.contains("<repl>:1:5: error: undefined name 'undefined_name'"), text)
        XCTAssertTrue(text.contains("    y = undefined_name + 1\n        ^~~~~~~~~~~~~~"), text)
        XCTAssertTrue(text.hasSuffix("6\n"), text)
    }

    func testVarsListsNamesTypesAndShapes() {
        let (text, _, _) = transcript(["x = randn(3, 4)", "n = 5", "fn f(a) { return a }", ":vars"])
        XCTAssertTrue(text.contains("f  function"), text)
        XCTAssertTrue(text.contains("n  number  5"), text)
        XCTAssertTrue(text.contains("x  tensor  [3, 4]"), text)
    }

    func testHelpForABuiltinAndForAMistypedName() {
        let (text, _, _) = transcript([":help nt_xent", "?nt_xnt"])
        XCTAssertTrue(text.contains("nt_xent(z1, z2, temperature = 0.5)"), text)
        XCTAssertTrue(text.contains("no builtin named 'nt_xnt'; did you mean 'nt_xent'?"), text)
    }

    func testSeedResetsTheGeneratorSoDrawsRepeat() {
        let (text, _, _) = transcript([":seed 9", "a = tolist(randn(3))", ":seed 9", "b = tolist(randn(3))", "a == b",
                                       ":seed x"])
        XCTAssertTrue(text.contains("random generator reset to seed 9"), text)
        XCTAssertTrue(text.contains("true\n"), text)
        XCTAssertTrue(text.contains(":seed needs a non-negative integer"), text)
    }

    func testResetForgetsVariablesAndUnknownCommandsSuggest() {
        let (text, _, _) = transcript(["a = 1", ":reset", "a", ":vras"])
        XCTAssertTrue(text.contains("variables cleared"), text)
        XCTAssertTrue(text.contains("undefined name 'a'"), text)
        XCTAssertTrue(text.contains("unknown command :vras; did you mean :vars?"), text)
    }

    func testCtrlCAtThePromptClearsTheLineAndQuitStops() {
        let (text, input, _) = transcript(["fn f() {", nil, "1 + 1", ":quit", "print(\"never\")"])
        XCTAssertTrue(text.contains("^C\n2\n"), text)
        XCTAssertFalse(text.contains("never"), text)
        XCTAssertEqual(input.history, ["1 + 1", ":quit"])
    }

    func testInterruptDuringTrainingKeepsTheVariables() throws {
        Interrupts.install()
        let session = ScriptSession(output: BufferOutputSink())
        let host = REPLHost(session: session)
        var text = ""
        host.interpreter.output = ClosureSink { text += $0 }
        let repl = REPL(host: host, input: ScriptedLines([])) { text += $0 }
        for line in ["data = digits()", "enc = mlp([64, 32, 16])", "keep = 7"] { repl.handle(line) }
        XCTAssertEqual(text, "")
        // Ctrl-C in a terminal sends SIGINT; raise it while training runs.
        let interrupter = Thread {
            Thread.sleep(forTimeInterval: 1.0)
            raise(SIGINT)
        }
        interrupter.start()
        let start = Date()
        repl.handle("run = train(enc, data, method: \"simclr\", epochs: 100000)")
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "the interrupt must stop training promptly")
        // One line says what happened, then the statement ends as interrupted; no "done in".
        XCTAssertTrue(text.contains("train: interrupted before step"), text)
        XCTAssertTrue(text.contains("error: interrupted"), text)
        XCTAssertFalse(text.contains("done in"), text)
        repl.handle("keep + 1")
        XCTAssertTrue(text.hasSuffix("8\n"), "the REPL goes on with its variables: \(text)")
        XCTAssertNotNil(repl.scope.lookup("enc"))
        // The run so far is kept: its losses, and interrupted: true.
        repl.handle("print(run.interrupted, run.steps > 0, len(run.losses) >= 0)")
        XCTAssertTrue(text.hasSuffix("true true true\n"), text)
    }
}

/// An output sink that appends to a closure (the REPL's printed output).
final class ClosureSink: OutputSink {
    let write: (String) -> Void
    init(_ write: @escaping (String) -> Void) { self.write = write }
    func write(_ text: String) { write(text) }
}

/// `:load` of an exercise file runs its visible tests as the grader does; `check()` grades.
final class REPLExerciseTests: XCTestCase {
    func testLoadRunsTheVisibleTestsAndCheckGradesThemAfresh() {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/Exercises/solutions/01-backward.lab").path
        let session = ScriptSession(output: BufferOutputSink())
        let host = REPLHost(session: session)
        var text = ""
        host.interpreter.output = ClosureSink { text += $0 }
        let repl = REPL(host: host, input: ScriptedLines([":load \(file)", "check()"])) { text += $0 }
        repl.run(showWelcome: false)
        XCTAssertTrue(text.contains("✓ the loss matches the formula (1 point)\n"), text)
        XCTAssertTrue(text.contains("✓ the hand gradient matches backward (2 points)\n"), text)
        XCTAssertFalse(text.contains("undefined name"), text)
        // check(): the five visible points, none of the hidden tests' names.
        XCTAssertTrue(text.contains("Score: 5/5"), text)
        XCTAssertFalse(text.contains("numpy"), text)
        XCTAssertTrue(text.hasSuffix("5\n"), text)
    }

    func testTheExerciseBuiltinsHaveHelpAndDocsLikeEveryBuiltin() {
        let session = ScriptSession(.init(quick: true), output: BufferOutputSink())
        for name in ["check", "todo", "expect_equal", "expect_shape"] {
            XCTAssertNotNil(session.context.documentation(for: name), name)
            XCTAssertEqual(session.context.registry.groupTitle(of: name), "Exercises", name)
        }
        XCTAssertTrue(session.context.documentation(for: "check")?.contains("Grades the exercise cells you have run") ?? false)
        XCTAssertTrue(session.context.docsMarkdown().contains("expect_shape"))
    }
}
