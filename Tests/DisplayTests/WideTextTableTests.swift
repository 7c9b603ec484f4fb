import LabSupport
import XCTest
@testable import Display

/// Tables line up in terminal columns, whatever script their text is in.
final class WideTextTableTests: XCTestCase {
    func testColumnsLineUpWithHanText() throws {
        let table = Table(columns: ["方法", "accuracy"], rows: [
            [TableCell.text("对比学习 SimCLR"), TableCell.number(0.91)],
            [TableCell.text("BYOL"), TableCell.number(0.88)],
        ])
        let lines = table.render(title: "线性探测").split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
        // Header, rule and rows: every line ends on the same terminal column.
        let widths = lines.dropFirst().map(\.displayWidth)
        XCTAssertEqual(Set(widths).count, 1, lines.joined(separator: "\n"))
        // The second column starts on the same column in every row.
        let rule = lines[2]
        let gap = try XCTUnwrap(rule.range(of: "  "))
        let firstWidth = rule[..<gap.lowerBound].displayWidth
        XCTAssertEqual(firstWidth, "对比学习 SimCLR".displayWidth)
        XCTAssertEqual(lines[4].prefix(displayWidth: firstWidth), "BYOL" + String(repeating: " ", count: firstWidth - 4))
        // The title is centred by columns.
        let total = widths[0]
        let left = lines[0].prefix { $0 == " " }.count
        XCTAssertEqual(left, (total - "线性探测".displayWidth) / 2)
    }
}
