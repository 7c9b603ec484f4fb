import Foundation
import XCTest
@testable import LabScript

/// The host interface: native functions, host objects, argument binding, errors, limits,
/// cancellation, the REPL entry points and layered scopes.
final class HostInterfaceTests: XCTestCase {
    private func make(_ configure: (inout InterpreterLimits) -> Void = { _ in }) -> (Interpreter, BufferOutputSink) {
        let sink = BufferOutputSink()
        var limits = InterpreterLimits()
        configure(&limits)
        let interpreter = Interpreter(output: sink, limits: limits)
        registerTestBuiltins(interpreter)
        return (interpreter, sink)
    }

    /// Runs and returns printed output, failing the test on any error.
    private func output(_ text: String) -> String {
        let (interpreter, sink) = make()
        if case .failure(let diagnostics) = interpreter.run(text, name: "t.lab") {
            XCTFail(DiagnosticRenderer().render(diagnostics))
        }
        return sink.text
    }

    /// Runs and returns the single rendered diagnostic.
    private func error(_ text: String, _ interpreter: Interpreter? = nil) -> String {
        let interpreter = interpreter ?? make().0
        guard case .failure(let diagnostics) = interpreter.run(text, name: "t.lab") else {
            XCTFail("expected an error")
            return ""
        }
        XCTAssertEqual(diagnostics.count, 1)
        return diagnostics[0].rendered
    }

    func testHostOperatorsOnEitherSide() {
        XCTAssertEqual(output("v = vec(1, 2, 3)\nprint(2 * v)\nprint(v + 1)\nprint(v - 1)\nprint(1 - v)\nprint(v @ v)\nprint(-v)\nprint(v < 2)\n"),
                       "vector(2, 4, 6)\nvector(2, 3, 4)\nvector(0, 1, 2)\nvector(0, -1, -2)\n14\nvector(-1, -2, -3)\n[true, false, false]\n")
    }

    func testHostUnsupportedOperatorIsTypeError() {
        XCTAssertTrue(error("v = vec(1)\nx = v / 2\n").hasPrefix("t.lab:2:5: error: unsupported operand types for '/': vector and number"))
        XCTAssertTrue(error("v = vec(1)\nx = v + \"a\"\n").contains("cannot add vector and string"))
    }

    func testHostEqualityFallsBackToIdentity() {
        XCTAssertEqual(output("v = vec(1)\nw = v\nprint(v == w, v == vec(1), v != vec(1))\n"), "true false true\n")
    }

    func testHostIndexingSlicingAndAssignment() {
        XCTAssertEqual(output("v = vec(1, 2, 3, 4)\nprint(v[0], v[-1])\nprint(v[1:3], v[::2], v[::-1])\nv[0] = 10\nprint(v)\n"),
                       "1 4\nvector(2, 3) vector(1, 3) vector(4, 3, 2, 1)\nvector(10, 2, 3, 4)\n")
    }

    func testIndexComponentsReachTheHost() {
        XCTAssertEqual(output("print(probe[:, 1:3, ::2, -1, \"k\", 2:])\n"),
                       "slice(_,_,_) slice(1,3,_) slice(_,_,2) int(-1) value(\"k\") slice(2,_,_)\n")
    }

    func testHostIndexAssignmentUnsupported() {
        XCTAssertTrue(error("probe[0] = 1\n").contains("probe does not support assignment to x[…]"))
    }

    func testHostObjectsAreShared() {
        XCTAssertEqual(output("v = vec(1, 2)\nw = v\nw[1] = 5\nprint(v)\nr = {t: v}\nr.t[0] = 7\nprint(v)\n"),
                       "vector(1, 5)\nvector(7, 5)\n")
    }

    func testFieldsMethodsAndTranspose() {
        XCTAssertEqual(output("v = vec(1, 2)\nprint(v.len)\nprint(v.scale(2, offset: 1))\nprint(v.T)\nm = v.scale\nprint(m(by: 3))\nprint(type(v))\n"),
                       "2\nvector(3, 5)\nvector(2, 1)\nvector(3, 6)\nvector\n")
    }

    func testUnknownMemberAndNamedArgumentSuggestions() {
        XCTAssertTrue(error("v = vec(1)\nv.scal(2)\n").contains("error: vector has no field or method 'scal'; did you mean 'scale'?"))
        XCTAssertEqual(error("v = vec(1)\nv.scale(2, ofset: 1)\n"), """
            t.lab:2:12: error: scale() has no parameter named 'ofset'; did you mean 'offset'?
                v.scale(2, ofset: 1)
                           ^~~~~~~~
            """)
        XCTAssertTrue(error("v = vec(1)\nv.len = 3\n").contains("cannot set field 'len' of vector"))
    }

    func testHostErrorsBecomeDiagnosticsAtTheCall() {
        XCTAssertEqual(error("v = vec(1)\ny = 1 + v.fail()\n"), """
            t.lab:2:9: error: matmul: shapes [2, 3] and [4] do not match
                y = 1 + v.fail()
                        ^~~~~~~~
            """)
        XCTAssertTrue(error("vec(1).fail_plain()\n").hasPrefix("t.lab:1:1: error: the plain failure happened"))
        XCTAssertTrue(error("x = vec(1, 2) + vec(1)\n").hasPrefix("t.lab:1:5: error: +: lengths 2 and 1 differ"))
    }

    func testTypedArgumentErrorsPointAtTheArgument() {
        XCTAssertEqual(error("loss = nt_xent(1, 2, temperature: \"hot\")\n"), """
            t.lab:1:22: error: nt_xent: argument 'temperature' must be a number, got string
                loss = nt_xent(1, 2, temperature: "hot")
                                     ^~~~~~~~~~~~~~~~~~
            """)
        XCTAssertTrue(error("nt_xent(1)\n").contains("nt_xent() is missing argument 'z2'"))
        XCTAssertTrue(error("vec(1, \"a\")\n").contains("vec: item 1 must be a number, got string"))
    }

    func testVariadicAndNamedAfterVariadic() {
        XCTAssertEqual(output("print(zeros(2, 3, requires_grad: true))\nprint(zeros([4]))\n"), "[2, 3] grad=true\n[4] grad=false\n")
        XCTAssertTrue(error("zeros(2, 1.5)\n").contains("zeros: expected integers, got 1.5"))
    }

    func testElementCountLimit() {
        let (interpreter, _) = make { $0.maxElements = 100 }
        XCTAssertTrue(error("zeros(10, 11)\n", interpreter).contains("zeros: 110 elements is more than the limit of 100"))
        XCTAssertTrue(error("x = list(0..1000)\n", interpreter).contains("more than the limit of 100"))
    }

    func testCallbacksIntoScriptAndTheirStack() {
        XCTAssertEqual(output("print(twice(fn(x) { return x * 3 }, 2))\n"), "18\n")
        let rendered = error("fn bad(x) {\n    return x + nope\n}\ntwice(bad, 1)\n")
        XCTAssertEqual(rendered, """
            t.lab:2:16: error: undefined name 'nope'
                    return x + nope
                               ^~~~
              in bad(), called at t.lab:4:1
            """)
    }

    func testExpectCloseUsesHostDifference() {
        XCTAssertEqual(output("expect_close(vec(1, 2), vec(1, 2.0000001))\nprint(\"ok\")\n"), "ok\n")
        XCTAssertTrue(error("expect_close(vec(1, 2), vec(1, 3), tol: 0.5)\n").contains("differ by 1, more than tol 0.5"))
    }

    func testCancellationFromAnotherThreadStopsALoop() {
        let (interpreter, _) = make()
        let flag = interpreter.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.cancel() }
        let started = Date()
        guard case .failure(let diagnostics) = interpreter.run("i = 0\nwhile true { i += 1 }\n", name: "t.lab") else {
            return XCTFail("expected cancellation")
        }
        XCTAssertEqual(diagnostics[0].kind, .runtime(.cancelled))
        XCTAssertEqual(diagnostics[0].line, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // The flag is cleared for the next run.
        XCTAssertEqual(interpreter.runREPL("1 + 1").value?.description, "2")
    }

    func testCancellationReachesLongHostWork() {
        let (interpreter, _) = make()
        let flag = interpreter.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { flag.cancel() }
        guard case .failure(let diagnostics) = interpreter.run("busy()\n", name: "t.lab") else {
            return XCTFail("expected cancellation")
        }
        XCTAssertEqual(diagnostics[0].kind, .runtime(.cancelled))
        XCTAssertTrue(diagnostics[0].rendered.hasPrefix("t.lab:1:1: error: interrupted"))
    }

    func testStepAndTimeLimits() {
        let (stepped, _) = make { $0.maxSteps = 1000 }
        XCTAssertTrue(error("for i in 0..10000 { }\n", stepped).contains("step limit reached (1000"))
        let (timed, _) = make { $0.maxSeconds = 0.2 }
        XCTAssertTrue(error("while true { }\n", timed).contains("time limit reached (0.2 s)"))
    }

    func testValueNestingLimit() {
        XCTAssertTrue(error("x = []\nfor i in 0..1000 { x = [x] }\n").contains("nested more than 256 deep"))
        XCTAssertTrue(error("x = [0]\nfor i in 0..1000 { x[0] = x }\n").contains("nested more than 256 deep"))
    }

    func testIncompleteInputComesFromTheParser() {
        for text in ["fn f() {", "print(1", "x = \"abc", "x = [1,\n2", "if x {\n", "{a: 1", "x = \"{y", "f(a,\n b:", "for i in 0..3 {\n  if i {\n"] {
            XCTAssertTrue(Parser.isIncomplete(text), text)
        }
        for text in ["x = )", "x = 1 +", "print(1))", "x = (1 $", "print(1)", "", "if x", "}", "x = [1 2"] {
            XCTAssertFalse(Parser.isIncomplete(text), text)
        }
    }

    func testREPLSession() {
        let (interpreter, sink) = make()
        XCTAssertNil(interpreter.runREPL("x = 3").value)
        XCTAssertEqual(interpreter.runREPL("x + 1").value?.description, "4")
        guard case .incomplete = interpreter.runREPL("fn f(a) {") else { return XCTFail("incomplete") }
        XCTAssertNil(interpreter.runREPL("fn f(a) {\n  return a * x\n}").value)
        XCTAssertEqual(interpreter.runREPL("f(2)").value?.description, "6")
        guard case .failure(let diagnostics) = interpreter.runREPL("nope", name: "<repl 7>") else { return XCTFail("error") }
        XCTAssertEqual(diagnostics[0].rendered, "<repl 7>:1:1: error: undefined name 'nope'\n    nope\n    ^~~~")
        XCTAssertEqual(interpreter.runREPL("\"s\"").value?.description, "\"s\"")
        XCTAssertEqual(interpreter.runREPL("print(x)").value?.isNil, true)
        XCTAssertEqual(sink.text, "3\n")
        // An error inside a function defined in an earlier input points into that input.
        _ = interpreter.runREPL("fn g() {\n  return 1 / 0\n}", name: "<repl 10>")
        guard case .failure(let later) = interpreter.runREPL("g()", name: "<repl 11>") else { return XCTFail("error") }
        XCTAssertEqual(later[0].rendered, "<repl 10>:2:10: error: division by zero\n      return 1 / 0\n             ^~~~~\n  in g(), called at <repl 11>:1:1")
    }

    func testGraderScopeIsImmuneToLearnerRebinding() {
        let (interpreter, sink) = make()
        _ = interpreter.run("expect = fn(c, m = \"\") { return nil }\nprint = 1\nfn square(x) { return x * x }\n", name: "learner.lab")
        let grader = interpreter.makeScope()
        if case .some(let square) = interpreter.globals.lookup("square") { grader.define("square", square) }
        guard case .failure(let diagnostics) = interpreter.run("print(type(expect))\nexpect(square(3) == 10, \"square(3) should be 9\")\n",
                                                                  name: "grader.lab", in: grader) else {
            return XCTFail("the real expect must fail")
        }
        XCTAssertEqual(sink.text, "function\n")
        XCTAssertTrue(diagnostics[0].message.contains("square(3) should be 9"))
        // Learner code cannot change the builtin layer in place either.
        XCTAssertTrue(error("len.x = 1\n", interpreter).contains("'len' is a builtin and cannot be changed"))
    }

    func testRegistryListsSignaturesAndDocs() {
        let (interpreter, _) = make()
        let functions = interpreter.registeredFunctions
        XCTAssertEqual(functions.first { $0.name == "print" }?.signature, "print(values..., sep = \" \")")
        XCTAssertEqual(functions.first { $0.name == "nt_xent" }?.signature, "nt_xent(z1, z2, temperature = 0.5)")
        XCTAssertEqual(functions.map(\.name), functions.map(\.name).sorted())
        // Every language builtin documents itself and its example runs.
        for function in Interpreter(output: BufferOutputSink()).registeredFunctions {
            XCTAssertFalse(function.summary.isEmpty, function.name)
            XCTAssertFalse(function.example.isEmpty, function.name)
            let (runner, _) = make()
            if case .failure(let diagnostics) = runner.run(function.example, name: "example of \(function.name)") {
                XCTFail(DiagnosticRenderer().render(diagnostics))
            }
        }
    }

    func testCallValueFromOutsideARun() throws {
        let (interpreter, _) = make()
        _ = interpreter.run("fn add(a, b = 10) { return a + b }\n", name: "t.lab")
        let add = try XCTUnwrap(interpreter.globals.lookup("add"))
        let result = try interpreter.callValue(add, positional: [(.number(1), nil)], named: [("b", .number(2), nil)], callRange: nil)
        XCTAssertEqual(result.description, "3")
        XCTAssertThrowsError(try interpreter.callValue(add, positional: [], named: [], callRange: nil))
    }
}

extension RunResult {
    /// The echoed value of a successful REPL input (nil for failures too).
    var value: Value? {
        if case .success(let value) = self { return value }
        return nil
    }
}
