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

    /// Wrapping counts columns, not characters: Chinese text (no spaces) is cut between
    /// characters at the width, and indents count towards it.
    func testWrappingByDisplayWidth() {
        XCTAssertEqual("the loss of one batch of views".wrapped(toDisplayWidth: 12),
                       ["the loss of", "one batch of", "views"])
        XCTAssertEqual("alpha beta gamma".wrapped(toDisplayWidth: 12, firstIndent: "  ", indent: "    "),
                       ["  alpha beta", "    gamma"])
        let chinese = "对比学习把同一图像的两个视图拉近".wrapped(toDisplayWidth: 10)
        XCTAssertEqual(chinese, ["对比学习把", "同一图像的", "两个视图拉", "近"])
        XCTAssertTrue(chinese.allSatisfy { $0.displayWidth <= 10 })
        XCTAssertEqual("x supercalifragilistic".wrapped(toDisplayWidth: 8), ["x", "supercal", "ifragili", "stic"])
        XCTAssertEqual("".wrapped(toDisplayWidth: 10, firstIndent: "  "), [""])
    }

    /// Chinese breaks between characters, but never before closing punctuation (`，` `）`)
    /// nor after opening punctuation (`（`), and never between a Latin word's letters.
    func testLineBreaksFollowChineseRules() {
        XCTAssertEqual(LineBreak.segments("一二，三"), ["一", "二，", "三"])
        XCTAssertEqual(LineBreak.segments("见（图）。"), ["见", "（图）。"])
        XCTAssertEqual(LineBreak.segments("用SimCLR训练"), ["用", "SimCLR", "训", "练"])
        XCTAssertEqual(LineBreak.segments("loss,"), ["loss,"])
        XCTAssertEqual(LineBreak.segments("损失,"), ["损", "失,"])
        XCTAssertEqual(LineBreak.segments(""), [])
        XCTAssertEqual("一二三四五六七八九十，一二三".wrapped(toDisplayWidth: 20), ["一二三四五六七八九", "十，一二三"])
        XCTAssertEqual("一二三四五六七八九（十）".wrapped(toDisplayWidth: 20), ["一二三四五六七八九", "（十）"])
        // Pieces of one word join without a space; words keep theirs.
        XCTAssertEqual("对比学习 SimCLR 的损失".wrapped(toDisplayWidth: 12), ["对比学习", "SimCLR 的损", "失"])
        XCTAssertTrue(LineBreak.joinsWithoutSpace("习", "对"))
        XCTAssertFalse(LineBreak.joinsWithoutSpace("习", "S"))
        XCTAssertFalse(LineBreak.joinsWithoutSpace("s", "t"))
        XCTAssertTrue(LineBreak.joinsWithoutSpace("”", "的"))    // Chinese quotes are one column wide
        XCTAssertFalse(LineBreak.joinsWithoutSpace("”", "“"))
        XCTAssertFalse(LineBreak.joinsWithoutSpace("a", "”"))
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
