import Foundation
import XCTest
@testable import LabScript

/// Feeds the interpreter random token streams, mutated fixtures and generated programs. Every input must end
/// in a value or in diagnostics that render; a crash fails the whole test run.
///
/// Environment: `LABSCRIPT_FUZZ_COUNT` (default 3000 inputs), `LABSCRIPT_FUZZ_SEED`
/// (default 1), `LABSCRIPT_FUZZ_SECONDS` (time budget, default 60), and
/// `LABSCRIPT_FUZZ_LOG=path` to write each input there before running it (to keep the
/// input that crashed).
final class FuzzTests: XCTestCase {
    /// SplitMix64: a tiny seeded generator, so fuzz runs repeat exactly.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let vocabulary: [String] = [
        "fn", "return", "if", "else", "for", "in", "while", "break", "continue", "and", "or", "not",
        "true", "false", "nil", "x", "y", "f", "xs", "r", "i", "print", "len", "range", "append", "str",
        "type", "min", "max", "sqrt", "log", "expect", "expect_close", "keys", "list", "sorted", "join",
        "0", "1", "2", "-1", "0.5", "1e308", "1e-5", "3", "1000000", "\"s\"", "\"{x}\"", "\"a{1 + 2}b\"", "\"",
        "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "..", "+", "-", "*", "/", "%", "^", "@", "=",
        "+=", "-=", "==", "!=", "<", "<=", ">", ">=", "\n", "\n", "\n", "#", "T", "lr:", "sep:", "::",
        "x = ", "fn f(a, b = 1) {", "}", "for i in 0..5 {", "while true {", "if x < 1 {", "} else {",
        "xs = [1, 2, 3]", "r = {a: 1}", "xs[0]", "xs[1:]", "r.a", "f(x)", "f(1, b: 2)", "return f(a)",
    ]

    static func randomTokens(_ rng: inout SplitMix64) -> String {
        let count = 1 + rng.below(60)
        return (0..<count).map { _ in rng.pick(vocabulary) }.joined(separator: rng.below(4) == 0 ? "" : " ")
    }

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + rng.below(4)) {
            let position = rng.below(bytes.count + 1)
            switch rng.below(7) {
            case 0 where !bytes.isEmpty:  // delete a range
                let end = min(bytes.count, position + 1 + rng.below(12))
                if position < end { bytes.removeSubrange(position..<end) }
            case 1 where !bytes.isEmpty:  // duplicate a range
                let end = min(bytes.count, position + 1 + rng.below(40))
                if position < end { bytes.insert(contentsOf: bytes[position..<end], at: position) }
            case 2:  // insert a token
                bytes.insert(contentsOf: Array((" " + rng.pick(vocabulary) + " ").utf8), at: position)
            case 3 where position < bytes.count:  // replace a byte with a troublesome one
                bytes[position] = rng.pick(Array("(){}[]\"\\:;.,=+-*/^@#\n0123456789abc$!é".utf8))
            case 4:  // truncate
                bytes.removeSubrange(position...)
            case 5 where position < bytes.count:  // flip a bit (may make invalid UTF-8)
                bytes[position] ^= UInt8(1 << rng.below(8))
            default:  // swap two lines
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 {
                    lines.swapAt(rng.below(lines.count), rng.below(lines.count))
                    bytes = Array(lines.joined(separator: "\n").utf8)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    struct Tally: CustomStringConvertible {
        var inputs = 0, values = 0, syntax = 0, syntaxDiagnostics = 0, incomplete = 0
        var runtime: [String: Int] = [:]
        var description: String {
            "\(inputs) inputs: \(values) ran to the end, \(syntax) stopped by syntax errors (\(syntaxDiagnostics) diagnostics), "
                + "\(incomplete) incomplete (REPL mode), runtime errors "
                + runtime.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    /// Runs one input in file mode (and every third in REPL mode); checks the outcome.
    static func exercise(_ text: String, replMode: Bool, tally: inout Tally) {
        var limits = InterpreterLimits()
        limits.maxSteps = 20_000
        limits.maxSeconds = 2
        limits.maxElements = 200_000
        limits.maxCallDepth = 300
        let interpreter = Interpreter(output: BufferOutputSink(), limits: limits)
        let result = replMode ? interpreter.runREPL(text) : interpreter.run(text, name: "fuzz.lab")
        tally.inputs += 1
        switch result {
        case .success(let value):
            tally.values += 1
            _ = value?.description
        case .incomplete:
            XCTAssertTrue(replMode, "incomplete in file mode")
            tally.incomplete += 1
        case .failure(let diagnostics):
            XCTAssertFalse(diagnostics.isEmpty, "failure without diagnostics for input:\n\(text)")
            for diagnostic in diagnostics {
                let rendered = diagnostic.rendered
                XCTAssertTrue(rendered.contains("error: "), rendered)
                XCTAssertLessThanOrEqual(diagnostic.range.end, diagnostic.range.file.bytes.count)
            }
            switch diagnostics.first?.kind {
            case .syntax?:
                tally.syntax += 1
                tally.syntaxDiagnostics += diagnostics.count
            case .runtime(let kind)?:
                XCTAssertEqual(diagnostics.count, 1)
                tally.runtime[kind.rawValue, default: 0] += 1
            case nil:
                break
            }
        }
    }

    func testFuzzTokenStreamsAndMutatedFixtures() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = Int(environment["LABSCRIPT_FUZZ_COUNT"] ?? "") ?? 3000
        let seed = UInt64(environment["LABSCRIPT_FUZZ_SEED"] ?? "") ?? 1
        let budget = Double(environment["LABSCRIPT_FUZZ_SECONDS"] ?? "") ?? 60
        let logPath = environment["LABSCRIPT_FUZZ_LOG"]
        let fixtures = try FixtureTests.fixturePaths().map { try String(contentsOf: $0, encoding: .utf8) }
        XCTAssertFalse(fixtures.isEmpty)
        var rng = SplitMix64(state: seed)
        var tally = Tally()
        let started = Date()
        for index in 0..<count {
            if Date().timeIntervalSince(started) > budget { break }
            let text: String
            switch index % 3 {
            case 0: text = FuzzTests.randomTokens(&rng)
            case 1: text = FuzzTests.mutate(rng.pick(fixtures), &rng)
            default:
                var generator = FuzzProgramGenerator(rng: SplitMix64(state: rng.next()))
                text = generator.program()
            }
            if let logPath { try? text.write(toFile: logPath, atomically: false, encoding: .utf8) }
            _ = Parser.isIncomplete(text)
            FuzzTests.exercise(text, replMode: index % 5 == 0, tally: &tally)
        }
        let seconds = Date().timeIntervalSince(started)
        print("LabScript fuzz (seed \(seed)): \(tally) in \(String(format: "%.1f", seconds)) s")
        XCTAssertGreaterThan(tally.inputs, min(count, 500))
        XCTAssertGreaterThan(tally.values, 0)
        XCTAssertGreaterThan(tally.syntax, 0)
    }

    /// Inputs known to be hard: deep nesting, huge numbers, runaway loops and recursion.
    func testHostileInputs() {
        let inputs = [
            String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
            String(repeating: "[", count: 5000),
            String(repeating: "{", count: 5000),
            String(repeating: "-", count: 5000) + "1",
            String(repeating: "not ", count: 5000) + "true",
            String(repeating: "if true {", count: 3000) + String(repeating: "}", count: 3000),
            "x = \"" + String(repeating: "{", count: 3000),
            String(repeating: "2 ^ ", count: 3000) + "2",
            "fn f() { return f() }\nf()",
            "fn f(n) { return [f(n + 1)] }\nf(0)",
            "s = \"ab\"\nwhile true { s = s + s }",
            "xs = [1]\nwhile true { xs = xs + xs }",
            "x = range(0, 9000000000000000)\nprint(len(x), x[-1])\ny = x[::2]",
            "x = 1e308 * 10\nprint(x, -x, x - x, int(1e300))",
            "print(round(1e308, 400), round(5, -400))",
            "print(\"a\" * 100000000)",
            "x = [0]\nfor i in 0..100000 { x = [x] }",
            "print(range(-9e15, 9e15, 1)[5:9], len(range(-9e15, 9e15, 1)))",
            "print(9e15..9.1e15)",
            "fn g(x = g) { return x }",
            "print(\"\\u{0}\", \"\\\\\")",
        ]
        var tally = Tally()
        for text in inputs {
            FuzzTests.exercise(text, replMode: false, tally: &tally)
            FuzzTests.exercise(text, replMode: true, tally: &tally)
        }
        XCTAssertEqual(tally.inputs, inputs.count * 2)
    }

    /// A long chain of closures, each holding the scope of the call that made the next:
    /// calling it hits the recursion limit, and freeing it does not crash. (Measured: a
    /// 1.5-million-link chain is freed on an 8 MB main thread without trouble, so Scope
    /// needs no hand-written iterative deinit.)
    func testLongClosureChainIsFreedWithoutDeepRecursion() {
        var interpreter: Interpreter? = Interpreter(output: BufferOutputSink())
        let text = "fn wrap(h) { return fn() { return h() } }\nf = fn() { return 1 }\nfor i in 0..200000 { f = wrap(f) }\n"
        if case .failure(let diagnostics)? = interpreter?.run(text, name: "chain.lab") {
            XCTFail(DiagnosticRenderer().render(diagnostics))
        }
        if case .failure(let diagnostics)? = interpreter?.run("f()", name: "call.lab") {
            XCTAssertEqual(diagnostics.first?.kind, .runtime(.recursionLimit))
        } else {
            XCTFail("expected the recursion limit")
        }
        interpreter = nil  // frees the chain on this (ordinary) thread
        XCTAssertNil(interpreter)
    }
}
