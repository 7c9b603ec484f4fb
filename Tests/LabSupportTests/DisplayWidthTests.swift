@testable import LabSupport
import XCTest

final class DisplayWidthTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual("loss".displayWidth, 4)
        XCTAssertEqual("模式崩溃".displayWidth, 8)            // Han: two columns each
        XCTAssertEqual("对比学习 (SimCLR)".displayWidth, 8 + 9)
        XCTAssertEqual("，（）".displayWidth, 6)              // fullwidth punctuation
        XCTAssertEqual("カタカナ한국어".displayWidth, 14)      // kana, Hangul syllables
        XCTAssertEqual("e\u{301}".displayWidth, 1)          // a combining accent takes none
        XCTAssertEqual("a\u{200D}b".displayWidth, 2)        // zero-width joiner
        XCTAssertEqual("τ ± 0.5 · α".displayWidth, 11)      // ambiguous width: one column
        XCTAssertEqual("─━".displayWidth, 2)
        XCTAssertEqual("🙂".displayWidth, 2)
        XCTAssertEqual("\u{1B}".displayWidth, 0)
    }

    func testPrefixAndPadding() {
        XCTAssertEqual("自监督学习".prefix(displayWidth: 5), "自监")   // never half a character
        XCTAssertEqual("abc".prefix(displayWidth: 5), "abc")
        XCTAssertEqual("崩溃".padding(toDisplayWidth: 6), "  ")
        XCTAssertEqual("collapse".padding(toDisplayWidth: 4), "")
    }

    /// The binary search needs the table sorted, its ranges apart; the edges of a range
    /// are wide and the code points just outside it are not (unless the next range starts).
    func testTableIsSortedAndItsEdgesAreExact() {
        let ranges = DisplayWidth.wide
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            XCTAssertLessThan(a.upperBound + 1, b.lowerBound, "\(a) then \(b): out of order or touching")
        }
        for range in ranges {
            for value in [range.lowerBound, range.upperBound] {
                XCTAssertEqual(Unicode.Scalar(value).map(DisplayWidth.of), 2, String(value, radix: 16))
            }
            if let after = Unicode.Scalar(range.upperBound + 1), after.properties.generalCategory != .nonspacingMark {
                XCTAssertNotEqual(DisplayWidth.of(after), 2, String(range.upperBound + 1, radix: 16))
            }
        }
    }
}
