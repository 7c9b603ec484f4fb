#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
@testable import LineEditor

/// libedit accepts Chinese input only under a UTF-8 character type; a test process starts,
/// like the REPL, in the C locale, where it would drop every non-ASCII byte.
final class CharacterTypeTests: XCTestCase {
    func testTheCharacterTypeBecomesUTF8() throws {
        let saved = String(cString: setlocale(LC_CTYPE, nil))
        defer { _ = setlocale(LC_CTYPE, saved) }
        _ = setlocale(LC_CTYPE, "C")
        XCTAssertEqual(String(cString: nl_langinfo(nl_item(CODESET))), "ANSI_X3.4-1968")
        XCTAssertTrue(LineEditor.useUTF8CharacterType())
        XCTAssertEqual(String(cString: nl_langinfo(nl_item(CODESET))).uppercased(), "UTF-8")
        XCTAssertEqual(String(cString: setlocale(LC_NUMERIC, nil)), "C")   // numbers untouched
    }
}
