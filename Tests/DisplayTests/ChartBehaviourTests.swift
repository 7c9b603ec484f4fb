import XCTest
import TensorCore
@testable import Display

/// Colour output, errors a script can cause, and properties that hold for any data.
final class ChartBehaviourTests: XCTestCase {
    func testColourOutputHasEscapesAndSameShapeAsPlain() throws {
        let chart = try plot([Series(name: "a", y: [1, 2, 3]), Series(name: "b", y: [3, 2, 1])])
        let plain = chart.render(TerminalCapabilities(width: 40), height: 5)
        let colour = chart.render(TerminalCapabilities(color: .trueColor, width: 40), height: 5)
        XCTAssertFalse(plain.contains("\u{1B}"))
        XCTAssertTrue(colour.contains("\u{1B}[38;2;31;119;180m"), "first series in Tableau blue")
        XCTAssertTrue(colour.contains("\u{1B}[38;2;255;127;14m"), "second series in Tableau orange")
        let stripped = ANSI.strip(colour)
        XCTAssertEqual(stripped.split(separator: "\n").count, plain.split(separator: "\n").count)
        // With colour, series are braille dots; without, marker characters.
        XCTAssertTrue(stripped.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        XCTAssertTrue(plain.contains("*") && plain.contains("o"))
    }

    func testImagesUseHalfBlocksIn24BitAndGreysIn256() throws {
        let chart = try show(images: [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1], shape: [1, 3, 2, 2])
        let truecolor = chart.render(TerminalCapabilities(color: .trueColor, width: 40))
        // Top-left pixel (1, 0, 0) is red over bottom-left (0, 0, 0) black, auto scale 4.
        XCTAssertTrue(truecolor.hasPrefix("\u{1B}[38;2;255;0;0m\u{1B}[48;2;255;0;0m▀"))
        XCTAssertTrue(truecolor.contains("▀"))
        let palette = chart.render(TerminalCapabilities(color: .palette256, width: 40))
        XCTAssertTrue(palette.contains("\u{1B}[38;5;"))
        XCTAssertFalse(palette.contains("38;2;"))
    }

    func testHeatmapColourBarIsDivergingForSignedData() throws {
        let signed = try heatmap([[1, -1], [0.5, 0]])
        let unsigned = try heatmap([[1, 2], [3, 4]])
        guard case let .heatmap(_, _, _, d1, _) = signed.content, case let .heatmap(_, _, _, d2, _) = unsigned.content else {
            return XCTFail("not heatmaps")
        }
        XCTAssertTrue(d1)
        XCTAssertFalse(d2)
        let text = signed.render(TerminalCapabilities(color: .trueColor, width: 40))
        XCTAssertTrue(text.contains("-1 ["), "range is symmetric about zero")
        XCTAssertTrue(text.contains("] 1"))
        // A fixed range: ends of the bar are the range, not the data.
        let fixed = try heatmap([[0.2, -0.1]], range: -1...1).render(TerminalCapabilities(width: 40))
        XCTAssertTrue(fixed.contains("  -1 [") && fixed.contains("] 1\n"), fixed)
        // 0.2 and -0.1 are pale in a -1...1 map ('..' and blanks), strong in their own range.
        XCTAssertEqual(fixed.split(separator: "\n").first, "  ..")
        let auto = try heatmap([[0.2, -0.1]]).render(TerminalCapabilities(width: 40))
        XCTAssertEqual(auto.split(separator: "\n").first, "  ##--")
        XCTAssertThrowsError(try heatmap([[1]], range: 1...1))
    }

    func testScriptMistakesThrowInsteadOfTrapping() {
        XCTAssertThrowsError(try plot([Series]()))
        XCTAssertThrowsError(try plot([Double.nan]))
        XCTAssertThrowsError(try plot([-1, 0], logY: true))
        XCTAssertThrowsError(try Series(x: [1, 2], y: [1]))
        XCTAssertThrowsError(try scatter(x: [1], y: [1, 2]))
        XCTAssertThrowsError(try scatter(x: [1, 2], y: [1, 2], labels: [0]))
        XCTAssertThrowsError(try scatter(x: [1], y: [1], labels: [-1]))
        XCTAssertThrowsError(try scatter([[1.0]]))
        XCTAssertThrowsError(try heatmap(values: [1, 2, 3], rows: 2, columns: 2))
        XCTAssertThrowsError(try heatmap([[1, 2], [3]]))
        XCTAssertThrowsError(try hist([], bins: 3))
        XCTAssertThrowsError(try hist([1, 2], bins: 0))
        XCTAssertThrowsError(try show(images: [0, 0], shape: [2, 2, 1, 1]))  // 2 channels
        XCTAssertThrowsError(try show(images: [0, 0, 0], shape: [2, 2]))
        XCTAssertThrowsError(try show(images: [0], shape: [1]))
        XCTAssertThrowsError(try show(images: [0, 0], shape: [2, 1, 1], labels: ["one"]))
        XCTAssertThrowsError(try show(images: [0], shape: [1, 1], scale: 0))
        XCTAssertEqual(try? hist([1], bins: 2000), nil)
    }

    func testHistogramCountsMatchNumpy() throws {
        // np.histogram([0, 0.1, 0.5, 0.99, 1, 1, 2.5, 3], bins=3)
        //   -> (array([4, 2, 2]), array([0., 1., 2., 3.]))
        let chart = try hist([0, 0.1, 0.5, 0.99, 1, 1, 2.5, 3, .nan], bins: 3)
        guard case let .histogram(edges, counts) = chart.content else { return XCTFail("not a histogram") }
        XCTAssertEqual(counts, [4, 2, 2])
        XCTAssertEqual(edges, [0, 1, 2, 3])
    }

    func testConstantAndDegenerateDataStillRender() throws {
        let flat = try plot([2, 2, 2]).render(.plain, height: 4)
        XCTAssertTrue(flat.contains("┤"))
        let one = try scatter(x: [1], y: [1]).render(.plain, height: 4)
        XCTAssertTrue(one.contains("⠁") || one.contains("⡀") || one.contains("⠈") || one.contains("⢀"))
        let zeros = try heatmap([[0, 0], [0, 0]]).render(.plain)
        XCTAssertTrue(zeros.contains("2×2"))
        let wide = try hist((0..<100).map(Double.init), bins: 500).render(TerminalCapabilities(width: 30), height: 3)
        XCTAssertTrue(wide.contains("shown merged") && wide.contains("groups of 22"), wide)  // wrapped at 30 columns
        let big = try show(images: [Float](repeating: 0.5, count: 64 * 4), shape: [64, 1, 2, 2]).render(.plain)
        XCTAssertLessThanOrEqual(big.split(separator: "\n").map(\.count).max() ?? 0, 80)
    }
}

final class TerminalTests: XCTestCase {
    func testColourNeedsATerminalAndRespectsNoColor() {
        let tty = TerminalCapabilities.detect(isTerminal: true, terminalWidth: 120, environment: ["COLORTERM": "truecolor"])
        XCTAssertEqual(tty.color, .trueColor)
        XCTAssertEqual(tty.width, 120)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: nil, environment: [:]).color, .palette256)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: false, terminalWidth: nil, environment: [:]).color, .none)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: nil, environment: ["NO_COLOR": "1"]).color, .none)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: nil, environment: ["NO_COLOR": ""]).color, .palette256,
                       "an empty NO_COLOR does not count (no-color.org)")
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: nil, environment: ["TERM": "dumb"]).color, .none)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: false, terminalWidth: nil, environment: ["SELFSUP_COLOR": "always"]).color, .palette256)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: nil, environment: ["SELFSUP_COLOR": "never"]).color, .none)
    }

    func testWidthFromColumnsThenTerminalThenDefault() {
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: 100, environment: ["COLUMNS": "132"]).width, 132)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: true, terminalWidth: 100, environment: ["COLUMNS": "x"]).width, 100)
        XCTAssertEqual(TerminalCapabilities.detect(isTerminal: false, terminalWidth: nil, environment: [:]).width, 80)
        // A pipe is not a terminal: the real detection on a descriptor that is not a tty.
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let caps = TerminalCapabilities.detect(fileDescriptor: fds[1], environment: [:])
        XCTAssertFalse(caps.isTerminal)
        XCTAssertEqual(caps.color, .none)
        XCTAssertEqual(caps.width, 80)
    }
}

final class TensorChartTests: XCTestCase {
    func testTensorFrontEnds() throws {
        let rows = Tensor(shape: [2, 3], data: [1, 2, 3, 3, 2, 1])
        guard case let .lines(series) = try rows.plot(names: ["up", "down"]).content else { return XCTFail() }
        XCTAssertEqual(series.map(\.name), ["up", "down"])
        XCTAssertEqual(series[1].y, [3, 2, 1])
        guard case let .scatter(x, y, labels, _) = try rows.scatter().content else { return XCTFail() }
        XCTAssertEqual(x, [1, 3]); XCTAssertEqual(y, [2, 2]); XCTAssertEqual(labels, [0, 0])
        XCTAssertThrowsError(try rows.scatter(labels: Tensor(shape: [2], data: [0.5, 1])))
        guard case let .heatmap(_, r, c, _, _) = try rows.heatmap().content else { return XCTFail() }
        XCTAssertEqual([r, c], [2, 3])
        guard case let .histogram(_, counts) = try rows.hist(bins: 3).content else { return XCTFail() }
        XCTAssertEqual(counts, [2, 2, 2])
        XCTAssertThrowsError(try Tensor(shape: [1, 1, 1], data: [0]).plot())
        XCTAssertThrowsError(try Tensor(shape: [2, 2], data: [0, 0, 0, 0]).showImages(labels: ["x", "y"]))  // one [H, W] image, two labels
    }
}

final class ChartWidthTests: XCTestCase {
    /// Every chart kind, at several widths and with colour on or off, stays within the width.
    func testNoLineIsWiderThanTheTerminal() throws {
        let wave = (0..<300).map { sin(Double($0) / 9) * 1e4 }
        let charts: [Chart] = [
            try plot([Series(name: "a", y: wave), Series(name: "b", y: wave.map { -$0 })], title: "a rather long title for a narrow terminal"),
            try plot(wave.map { abs($0) + 1 }, logY: true),
            try scatter(x: wave, y: wave.reversed(), labels: wave.indices.map { $0 % 7 }),
            try heatmap(values: (0..<(50 * 200)).map { Double($0 % 17) - 8 }, rows: 50, columns: 200),
            try hist(wave, bins: 100),
            try show(images: [Float](repeating: 0.3, count: 10 * 3 * 28 * 28), shape: [10, 3, 28, 28],
                     labels: (0..<10).map { "label number \($0)" }),
        ]
        for width in [30, 80, 131] {
            for mode in [ColorMode.none, .trueColor] {
                for chart in charts {
                    let text = ANSI.strip(chart.render(TerminalCapabilities(color: mode, width: width), height: 6))
                    let widest = text.split(separator: "\n").map(\.count).max() ?? 0
                    // Images are never cut: a single 28-pixel image may be wider than 30 columns.
                    if case .images = chart.content, width == 30 { continue }
                    XCTAssertLessThanOrEqual(widest, width, "\(chart.content) at width \(width), \(mode)")
                }
            }
        }
    }
}

/// Extreme inputs through every chart: each must end in a chart or a thrown error, and a
/// chart must render to text and SVG (a trap would kill the test run).
final class ExtremeInputTests: XCTestCase {
    func testExtremeValuesNeverTrap() {
        let specials: [Double] = [0, -0.0, 1, -1, 1e308, -1e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                  .leastNonzeroMagnitude, 1e-300, .nan, .infinity, -.infinity, 3.5]
        var rng = RandomGenerator(seed: 7)
        var rendered = 0, rejected = 0
        for _ in 0..<60 {
            let n = 1 + rng.nextInt(below: 12)
            let values = (0..<n).map { _ in specials[rng.nextInt(below: specials.count)] }
            let makers: [() throws -> Chart] = [
                { try plot(values) },
                { try plot(values, logY: true) },
                { try plot([Series(name: "x", x: values.reversed(), y: values)]) },
                { try scatter(x: values, y: values.reversed(), labels: values.indices.map { $0 % 3 }) },
                { try heatmap(values: values, rows: 1, columns: n) },
                { try hist(values, bins: 1 + n) },
                { try show(images: values.map(Float.init), shape: [1, 1, 1, n]) },
            ]
            for make in makers {
                do {
                    let chart = try make()
                    // (A black image renders as blanks, so the text itself may be empty.)
                    let text = chart.render(TerminalCapabilities(width: 30), height: 4)
                    if case .images = chart.content {} else { XCTAssertFalse(text.isEmpty) }
                    XCTAssertTrue(chart.svg().hasSuffix("</svg>\n"))
                    rendered += 1
                } catch is DisplayError {
                    rejected += 1
                } catch {
                    XCTFail("unexpected error \(error)")
                }
            }
        }
        XCTAssertGreaterThan(rendered, 200)
        XCTAssertGreaterThan(rejected, 5)
        XCTAssertThrowsError(try heatmap(values: [1], rows: Int.max / 2, columns: 4))
        XCTAssertThrowsError(try show(images: [1], shape: [Int.max / 2, 1, 2, 2]))
        XCTAssertEqual(ProgressBar.duration(1e30), "?")
    }
}
