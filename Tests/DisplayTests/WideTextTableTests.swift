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

    /// Bar labels pad to one column, chart titles centre and legends wrap by display width,
    /// so a chart with Chinese labels lines up and stays inside the terminal.
    func testChartsLineUpWithHanLabels() throws {
        let caps = TerminalCapabilities(width: 40)
        let bars = try bar([[0.91, 0.88, 0.42]], labels: ["对比学习", "BYOL", "非对比学习方法"], title: "线性探测准确率")
            .render(caps).split(separator: "\n").map(String.init)
        let rows = bars.filter { $0.contains("│") }
        XCTAssertEqual(rows.count, 3, bars.joined(separator: "\n"))
        let axisColumns = rows.map { $0[..<$0.firstIndex(of: "│")!].displayWidth }
        XCTAssertEqual(Set(axisColumns), ["非对比学习方法".displayWidth + 1], bars.joined(separator: "\n"))
        let lossPlot = try plot([Series(name: "对比学习的训练损失", y: [3, 2, 1]), Series(name: "非对比学习的训练损失", y: [3, 2.5, 2])],
                                title: "损失曲线", xLabel: "轮").render(caps, height: 5)
        let lines = lossPlot.split(separator: "\n").map(String.init)
        for line in bars + lines { XCTAssertLessThanOrEqual(line.displayWidth, 40, line) }
        XCTAssertTrue(lines.contains { $0.hasSuffix("对比学习的训练损失") && !$0.contains("非") }, lossPlot)
        XCTAssertTrue(lines.contains { $0.hasSuffix("非对比学习的训练损失") }, lossPlot)
        let title = try XCTUnwrap(lines.first)
        XCTAssertEqual(title.prefix { $0 == " " }.count, (38 - "损失曲线".displayWidth) / 2, lossPlot)
    }

    /// Figures name Chinese fonts before the generic family, so Chinese titles and labels
    /// get a CJK face wherever the SVG is opened.
    func testSVGTextNamesCJKFonts() throws {
        let svg = try plot([1, 2, 3], title: "损失").svg()
        XCTAssertTrue(svg.contains("font-family=\"Helvetica, Arial, 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', "
                                   + "'Microsoft YaHei', sans-serif\""), svg)
        XCTAssertTrue(svg.contains("损失"))
    }
}
