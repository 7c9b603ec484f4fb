import XCTest
import Foundation
import TensorCore
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Display

/// Counts SVG elements by class and collects text nodes.
private final class SVGCensus: NSObject, XMLParserDelegate {
    var classes: [String: Int] = [:]
    var texts: [String] = []
    var rects: [[String: String]] = []
    var polylines: [String] = []
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if let cls = attributes["class"] { classes[cls, default: 0] += 1 }
        if name == "rect" { rects.append(attributes) }
        if name == "polyline" { polylines.append(attributes["points"] ?? "") }
        if name == "text" { inText = true; texts.append("") }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }

    static func of(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> SVGCensus {
        let parser = XMLParser(data: Data(svg.utf8))
        let census = SVGCensus()
        parser.delegate = census
        XCTAssertTrue(parser.parse(), "not well-formed SVG: \(String(describing: parser.parserError))", file: file, line: line)
        return census
    }
}

final class BarTableTests: XCTestCase {
    let grouped = try! bar([[0.4, 0.5, 0.25], [0.6, 0.75, 0.5]], labels: ["SimCLR", "BYOL", "VICReg"],
                           names: ["1 label", "3 labels"], errors: [[0.05, 0.02, 0], [0.01, 0.03, 0.1]],
                           title: "probe accuracy")

    // MARK: bar

    func testBarTerminalHasALinePerBarInCategoryOrderWithValuesAndErrors() {
        let text = grouped.render(TerminalCapabilities(width: 60))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first?.trimmingCharacters(in: .whitespaces), "probe accuracy")
        let bars = lines.filter { $0.contains("│") }
        XCTAssertEqual(bars.count, 6, text)
        XCTAssertTrue(bars[0].hasPrefix("SimCLR │"), text)
        XCTAssertTrue(bars[1].hasPrefix("       │"), "the second series of a group has no label: \(text)")
        XCTAssertTrue(bars[2].hasPrefix("BYOL   │"))
        XCTAssertTrue(bars[0].hasSuffix("0.40 ± 0.05"), bars[0])
        XCTAssertTrue(bars[4].hasSuffix("0.25"), "a zero error is not printed: \(bars[4])")
        XCTAssertTrue(bars[5].hasSuffix("0.5 ± 0.1"))
        // Without colour the two series fill with different shades; the longer value draws the longer bar.
        func length(_ line: String, _ fill: Character) -> Int { line.filter { $0 == fill }.count }
        XCTAssertGreaterThan(length(bars[0], "█"), 0)
        XCTAssertGreaterThan(length(bars[1], "▓"), length(bars[0], "█"))
        XCTAssertGreaterThan(length(bars[3], "▓"), length(bars[5], "▓"))
        XCTAssertEqual(length(bars[1], "█"), 0)
        // 0.75 is the largest bar end but 0.5 + 0.1 and 0.75 + 0.03 stretch the axis to 0.78.
        XCTAssertTrue(text.contains("└"), text)
        XCTAssertTrue(text.contains("█ 1 label") && text.contains("▓ 3 labels"), "legend: \(text)")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 60 }, "fits the width:\n\(text)")
    }

    func testBarLengthIsProportionalToTheValue() throws {
        let chart = try bar([[1, 0.5]], labels: ["a", "b"])
        let bars = chart.render(TerminalCapabilities(width: 50)).split(separator: "\n").filter { $0.contains("│") }
        func cells(_ line: Substring) -> Double {
            let eighths: [Character: Double] = ["▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7, "█": 8]
            return line.reduce(0) { $0 + (eighths[$1] ?? 0) } / 8
        }
        XCTAssertEqual(cells(bars[1]) / cells(bars[0]), 0.5, accuracy: 0.02)
        XCTAssertNil(chart.render(TerminalCapabilities(width: 50)).range(of: "legend"), "one unnamed series has no legend")
    }

    func testBarColourUsesThePaletteAndKeepsTheLayout() {
        let plain = grouped.render(TerminalCapabilities(width: 60))
        let colour = grouped.render(TerminalCapabilities(color: .trueColor, width: 60))
        XCTAssertTrue(colour.contains("\u{1B}[38;2;31;119;180m"))
        XCTAssertTrue(colour.contains("\u{1B}[38;2;255;127;14m"))
        XCTAssertEqual(ANSI.strip(colour).split(separator: "\n").count, plain.split(separator: "\n").count)
    }

    func testNegativeValuesGrowLeftOfZero() throws {
        let chart = try bar([[-2, 1]], labels: ["neg", "pos"])
        let bars = chart.render(TerminalCapabilities(width: 40)).split(separator: "\n").filter { $0.contains("│") }
        let negative = try XCTUnwrap(bars.first), positive = try XCTUnwrap(bars.last)
        let negativeEnd = try XCTUnwrap(negative.lastIndex(of: "█"))
        let positiveStart = try XCTUnwrap(positive.firstIndex(where: { "█▏▎▍▌▋▊▉".contains($0) }))
        XCTAssertLessThan(negative.distance(from: negative.startIndex, to: negativeEnd),
                          positive.distance(from: positive.startIndex, to: positiveStart), "\(negative)\n\(positive)")
    }

    func testBarSVGDrawsEveryBarErrorBarLabelAndLegend() {
        let census = SVGCensus.of(grouped.svg())
        XCTAssertEqual(census.classes["bar"], 6)
        XCTAssertEqual(census.classes["error-bar"], 5 * 3, "five non-zero errors, each a line and two caps")
        XCTAssertEqual(census.classes["category"], 3)
        XCTAssertEqual(census.classes["legend"], 2 * 2)
        for label in ["SimCLR", "BYOL", "VICReg", "1 label", "3 labels", "probe accuracy"] {
            XCTAssertTrue(census.texts.contains(label), "missing \(label): \(census.texts)")
        }
        // Bar heights follow the values: BYOL's 3-label bar (0.75) is 1.5× its 1-label bar (0.5).
        let heights = census.rects.filter { $0["class"] == "bar" }.compactMap { Double($0["height"] ?? "") }
        XCTAssertEqual(heights.count, 6)
        XCTAssertEqual(heights[3] / heights[2], 1.5, accuracy: 0.02)
        XCTAssertEqual(heights[4] / heights[5], 0.5, accuracy: 0.02)
    }

    func testLongCategoryNamesSlantInSVG() throws {
        let chart = try bar([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
                            labels: (1...10).map { "a rather long method name \($0)" })
        let svg = chart.svg()
        XCTAssertTrue(svg.contains("class=\"category\"") && svg.contains("rotate(-35"), "slanted labels")
        XCTAssertEqual(SVGCensus.of(svg).classes["category"], 10)
    }

    func testBarMistakesThrow() {
        XCTAssertThrowsError(try bar([[]]))
        XCTAssertThrowsError(try bar([[1, 2], [1]]))
        XCTAssertThrowsError(try bar([[1, 2]], labels: ["a"]))
        XCTAssertThrowsError(try bar([[1, 2]], errors: [[1]]))
        XCTAssertThrowsError(try bar([[.nan]]))
        XCTAssertNoThrow(try bar([[1, .nan]]), "a missing value is a gap")
    }

    // MARK: table

    let scores = try! table(columns: ["method", "k=1", "kNN"],
                            rows: [[.text("SimCLR"), .number(0.4123, error: 0.0212), .number(0.8)],
                                   [.text("Barlow | Twins"), .number(0.5), .empty]],
                            title: "scores")

    func testTableTerminalAlignsColumnsNumbersRight() {
        XCTAssertEqual(scores.render(.plain), """
                     scores
        method                  k=1  kNN
        ──────────────  ───────────  ───
        SimCLR          0.41 ± 0.02  0.8
        Barlow | Twins          0.5
        """)
    }

    func testTableSVGHasEveryCell() {
        let census = SVGCensus.of(scores.svg())
        XCTAssertEqual(census.classes["header"], 3)
        XCTAssertEqual(census.classes["cell"], 6)
        XCTAssertTrue(census.texts.contains("0.41 ± 0.02"))
        XCTAssertTrue(census.texts.contains("Barlow | Twins"))
    }

    func testTableHTMLAndMarkdown() throws {
        guard case .table(let t) = scores.content else { return XCTFail("not a table") }
        XCTAssertEqual(t.html(title: "a < b"), """
        <table class="table">
        <caption>a &lt; b</caption>
        <thead><tr><th>method</th><th class="num">k=1</th><th class="num">kNN</th></tr></thead>
        <tbody>
        <tr><td>SimCLR</td><td class="num">0.41 ± 0.02</td><td class="num">0.8</td></tr>
        <tr><td>Barlow | Twins</td><td class="num">0.5</td><td class="num"></td></tr>
        </tbody>
        </table>
        """)
        XCTAssertEqual(t.markdown(title: "scores"), """
        **scores**

        | method | k=1 | kNN |
        | --- | ---: | ---: |
        | SimCLR | 0.41 ± 0.02 | 0.8 |
        | Barlow \\| Twins | 0.5 |  |
        """)
    }

    /// One rule for every ± cell: the std to one significant digit, the mean to the same
    /// place, never past the mean's third significant digit.
    func testPlusMinusShowsTheDigitsTheErrorLeaves() {
        XCTAssertEqual(TableCell.plusMinus(0.6174, 0.032), "0.62 ± 0.03")
        XCTAssertEqual(TableCell.plusMinus(0.65, 0.03), "0.65 ± 0.03")
        XCTAssertEqual(TableCell.plusMinus(0.96, 0.0098), "0.96 ± 0.01", "0.0098 rounds up to one digit, 0.01")
        XCTAssertEqual(TableCell.plusMinus(52.31, 0.29), "52.3 ± 0.3")
        XCTAssertEqual(TableCell.plusMinus(0.4, 0.05), "0.40 ± 0.05")
        XCTAssertEqual(TableCell.plusMinus(-2.09, 0.14), "-2.1 ± 0.1")
        XCTAssertEqual(TableCell.plusMinus(1234.6, 56), "1235 ± 56", "no rounding left of the point")
        XCTAssertEqual(TableCell.plusMinus(-0.001, 0.3), "0.0 ± 0.3", "no minus sign on a zero")
        // A spread far below the mean's precision: the mean keeps 3 significant digits.
        XCTAssertEqual(TableCell.plusMinus(0.955432, 3e-7), "0.955 ± 0.000")
        XCTAssertEqual(TableCell.plusMinus(0, 0.02), "0.00 ± 0.02")
        XCTAssertEqual(TableCell.plusMinus(0.000859, 0.00036), "0.0009 ± 0.0004", "small means follow the rule too")
        XCTAssertEqual(TableCell.plusMinus(0.00014, 3.7e-5), "0.00014 ± 0.00004")
        XCTAssertEqual(TableCell.number(0.5, error: 0).text, "0.5")
        XCTAssertEqual(TableCell.number(1.5e-7, error: 2e-8).text, "1.5e-07 ± 2e-08")
    }

    func testTableMistakesThrow() {
        XCTAssertThrowsError(try table(columns: [], rows: []))
        XCTAssertThrowsError(try table(columns: ["a", "b"], rows: [[.number(1)]]))
        XCTAssertNoThrow(try table(columns: ["a"], rows: []), "an empty table is a header")
    }

    // MARK: plot(xs, ys)

    func testPlotAgainstXValuesPutsThemOnTheAxis() throws {
        let chart = try plot(x: [16, 64, 256], y: [0.5, 0.6, 0.55], title: "batch size")
        let text = chart.render(TerminalCapabilities(width: 60), height: 6)
        let lines = text.split(separator: "\n").map(String.init)
        let axis = try XCTUnwrap(lines.firstIndex { $0.contains("└") }, text)
        let ticks = lines[axis + 1].split(separator: " ").compactMap { Double($0) }
        XCTAssertGreaterThanOrEqual(ticks.count, 2, text)
        XCTAssertTrue(ticks.allSatisfy { $0 >= 16 && $0 <= 256 }, "ticks between 16 and 256, not the index 0…2: \(ticks)")
        XCTAssertGreaterThanOrEqual(ticks.max() ?? 0, 200)
        // In SVG the middle point sits at (64 − 16) / 240 = 0.2 of the axis, not halfway.
        let census = SVGCensus.of(chart.svg())
        let points = try XCTUnwrap(census.polylines.first).split(separator: " ").map { pair in
            pair.split(separator: ",").compactMap { Double($0) }
        }
        XCTAssertEqual(points.count, 3)
        XCTAssertEqual((points[1][0] - points[0][0]) / (points[2][0] - points[0][0]), 0.2, accuracy: 0.01)
        XCTAssertTrue(census.texts.contains("250") || census.texts.contains("200"), "x tick labels: \(census.texts)")
        XCTAssertThrowsError(try plot(x: [1, 2], y: [1, 2, 3]))
    }

    func testTensorPlotAgainstXValuesTakesRowsOfSeries() throws {
        let chart = try Tensor(shape: [2, 3], data: [1, 2, 3, 3, 2, 1]).plot(x: [0.1, 0.5, 1], names: ["up", "down"])
        guard case let .lines(series) = chart.content else { return XCTFail("not lines") }
        XCTAssertEqual(series.map(\.name), ["up", "down"])
        XCTAssertEqual(series[1].x, [0.1, 0.5, 1])
        XCTAssertThrowsError(try Tensor(shape: [1, 2], data: [1, 2]).plot(x: [1, 2, 3]))
    }
}
