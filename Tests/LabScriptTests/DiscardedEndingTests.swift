import XCTest
@testable import LabScript

/// A function that ends with an expression returns nil, and says so at that line.
final class DiscardedEndingTests: XCTestCase {
    func run(_ text: String) -> (String, RunResult) {
        let sink = BufferOutputSink()
        let result = Interpreter(output: sink).run(text, name: "t.lab")
        return (sink.text, result)
    }

    func testAFunctionEndingInAValueWarnsOnceAtThatLine() {
        let (output, result) = run("fn square(x) {\n    x * x\n}\nprint(square(3))\nsquare(4)\n")
        guard case .success = result else { return XCTFail("\(result)") }
        XCTAssertEqual(output, "t.lab:2:5: warning: fn square ends with an expression whose value (number) is thrown away, "
                       + "so it returns nil; write `return …` to return it\nnil\n")
    }

    func testNoWarningForReturnOrForACallThatGivesNil() {
        let (output, _) = run("fn f(x) { return x * x }\nfn g() { print(\"hi\") }\nfn h() {}\nprint(f(2))\ng()\nh()\n")
        XCTAssertEqual(output, "4\nhi\n")
    }

    func testAnonymousFunctionsAreNamedAsSuch() {
        let (output, _) = run("f = fn(x) { x + 1 }\nf(1)\n")
        XCTAssertTrue(output.hasPrefix("t.lab:1:13: warning: this function ends with an expression"), output)
    }
}
