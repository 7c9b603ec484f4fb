import XCTest
import LabScript
@testable import LabBuiltins

/// Data sets handed to scripts never alias each other: assigning into one result's `.x`
/// changes no other call's result, nor the data set it came from (digits() caches one).
final class DataSetAliasingTests: XCTestCase {
    func run(_ source: String) -> (String, String?) { runScript(source) }

    /// For every builtin of the "Data sets" group, an expression that calls it (the same
    /// data each time: seeds given) and yields a value with `.x`.
    static let calls: [String: String] = [
        "digits": "digits()",
        "shapes": "shapes(count: 4, size: 8, seed: 1)",
        "blobs": "blobs(count: 12, seed: 1)",
        "moons": "moons(count: 12, seed: 1)",
        "tokens": "tokens(count: 4, length: 5, seed: 1)",
        "split": "split(digits(), test_fraction: 0.5, seed: 1).train",
        "subset": "subset(digits(), k: 2, seed: 1)",
        "select": "select(digits(), [0, 1, 2])",
    ]

    func testEveryDataSetBuiltinIsCovered() {
        let session = BuiltinContext(output: BufferOutputSink())
        let group = session.registry.groups.first { $0.title == "Data sets" }
        XCTAssertEqual(Set(group?.entries.map(\.name) ?? []), Set(Self.calls.keys),
                       "a data set builtin without an aliasing check: add it to calls")
    }

    func testAssigningIntoOneResultChangesNoOther() {
        for (name, call) in Self.calls.sorted(by: { $0.key < $1.key }) {
            let (out, error) = run("""
                a = \(call)
                before = max(a.x)
                x = a.x
                x[0] = x[0] * 0 + 999
                b = \(call)
                print(max(x), max(b.x) == before, max(a.x) == before, max(\(call).x) == before)   # 1.0: equal
                """)
            XCTAssertNil(error, name)
            XCTAssertEqual(out, "999.0 1.0 1.0 1.0\n", "\(name): a mutation of one result reached another")
        }
    }

    func testSamplesAndDerivedSetsDoNotAliasTheirSource() {
        let (out, error) = run("""
            d = digits()
            s = d[0].x
            s[0] = 999
            parts = split(d, test_fraction: 0.5, seed: 1)
            t = parts.train.x
            t[0] = t[0] * 0 + 999
            m = tokens(count: 4, length: 5, seed: 1).mask(seed: 0).inputs
            m[0] = m[0] * 0 + 999
            print(max(d.x), max(digits().x), max(d[0].x) <= 1, max(tokens(count: 4, length: 5, seed: 1).x) < 999)
            """)
        XCTAssertNil(error)
        XCTAssertEqual(out, "1.0 1.0 1.0 1.0\n")
    }
}
