import XCTest
import LabScript
@testable import LabBuiltins

/// A finite script number beyond Float32's range says so instead of turning into ±∞.
final class Float32RangeTests: XCTestCase {
    func error(_ source: String) -> String? {
        let session = BuiltinContext(output: BufferOutputSink())
        if case .failure(let diagnostics) = session.run(source, name: "t") { return DiagnosticRenderer().render(diagnostics) }
        return nil
    }

    func testOutOfRangeNumbersAreLocatedErrors() {
        let bar = error("c = bar([1e308, -1e308])")
        XCTAssertTrue(bar?.contains("1e+308 is outside Float32's range") ?? false, bar ?? "bar accepted 1e308")
        XCTAssertFalse(bar?.contains("no finite values") ?? true, bar ?? "")
        let scalar = error("x = zeros(2) + 1e39")
        XCTAssertTrue(scalar?.contains("outside Float32's range") ?? false, scalar ?? "1e39 became ∞ silently")
        let argument = error("d = blobs(count: 10, std: 1e300)")
        XCTAssertTrue(argument?.contains("argument 'std': 1e+300 is outside Float32's range") ?? false, argument ?? "std: 1e300 accepted")
        XCTAssertTrue(argument?.contains("t:1:") ?? false, argument ?? "")
        // Infinity written as such, and numbers in range, are still accepted.
        XCTAssertNil(error("c = bar([1, inf, 3e38])"))
        XCTAssertNil(error("x = tensor([inf, -inf, 1e-50])"))
    }
}
