import XCTest
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Display
import LabSupport

/// Parses a document with Foundation's XMLParser and counts elements by name and class.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String: Int] = [:]
    var classes: [String: Int] = [:]
    var texts: [String] = []
    var root: String?
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        names[name, default: 0] += 1
        if let cls = attributes["class"] { classes[cls, default: 0] += 1 }
        if name == "text" || name == "title" { inText = true; texts.append("") }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { inText = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }
}

final class SVGTests: XCTestCase {
    /// Parses `svg`, failing the test if it is not well-formed XML with an `<svg>` root.
    private func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> ElementCounter {
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "not well-formed: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertEqual(counter.root, "svg", file: file, line: line)
        return counter
    }

    func testLinePlotHasAxesTicksSeriesAndLegend() throws {
        let chart = try plot([Series(name: "train", y: [3, 2, 1.5, 1]), Series(name: "val", y: [3, 2.5, .nan, 2])],
                             title: "loss", xLabel: "epoch", yLabel: "loss")
        let doc = parse(chart.svg())
        // The NaN splits "val" into a polyline and a lone point.
        XCTAssertEqual(doc.names["polyline"], 2)
        XCTAssertEqual(doc.classes["series"], 3)
        XCTAssertEqual(doc.classes["axis"], 2)
        XCTAssertGreaterThanOrEqual(doc.classes["tick", default: 0], 4)
        XCTAssertEqual(doc.classes["legend"], 4, "a swatch and a name per series")
        XCTAssertTrue(doc.texts.contains("train") && doc.texts.contains("val") && doc.texts.contains("epoch"))
        XCTAssertEqual(doc.texts.filter { $0 == "loss" }.count, 3, "<title>, heading and y label")
    }

    func testLogYAxisIsLabelled() throws {
        let doc = parse(try plot([1, 10, 100], logY: true).svg())
        XCTAssertTrue(doc.texts.contains("log scale"))
        XCTAssertTrue(doc.texts.contains("100") && doc.texts.contains("10") && doc.texts.contains("1"))
    }

    /// Under Chinese, the labels and footers a chart writes by itself come from the catalogue:
    /// the log scale, an unnamed series, plot(run)'s axes, hist's count and the heatmap's
    /// note (SVG and terminal), with "，" between the note's clauses; no English left.
    func testDefaultLabelsAndFootersInChinese() throws {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .zh
        let log = parse(try plot([1, 10, 100], logY: true).svg())
        XCTAssertTrue(log.texts.contains("对数刻度"), "\(log.texts)")
        let labelled = parse(try plot([1, 10, 100], yLabel: "std", logY: true).svg())
        XCTAssertTrue(labelled.texts.contains("std（对数刻度）"), "\(labelled.texts)")
        let caps = TerminalCapabilities(width: 60)
        XCTAssertTrue(try plot([1, 10, 100], logY: true).render(caps, height: 6).contains("（对数刻度）"))
        let two = try plot([Series(name: "", x: [0, 1], y: [1, 2]), Series(name: "", x: [0, 1], y: [2, 1])])
        XCTAssertTrue(two.render(caps, height: 6).contains("序列 2"))
        XCTAssertTrue(parse(two.svg()).texts.contains("序列 1"))
        let run = parse(try lossPlot([2, 1.5, 1.2]).svg())
        XCTAssertTrue(run.texts.contains("轮次") && run.texts.contains("损失"), "\(run.texts)")
        XCTAssertTrue(parse(try hist([1, 2, 2, 3], bins: 3).svg()).texts.contains("频数"))
        let pooled = try heatmap(values: (0..<(300 * 10)).map(Double.init), rows: 300, columns: 10)
        let note = parse(pooled.svg()).texts.first { $0.hasPrefix("300×10") } ?? ""
        XCTAssertEqual(note, "300×10，每格为 3×3 个值的均值，取值 0 … 2999")
        let text = pooled.render(caps)
        XCTAssertTrue(text.contains("300×10，每格为 ") && text.contains(" 个值的均值，取值 0 ... 2999"), text)
        for english in ["log scale", "series", "epoch", "loss", "count", "values", "cells", "each cell"] {
            XCTAssertFalse(text.contains(english) || log.texts.contains { $0.contains(english) }
                           || run.texts.contains { $0.contains(english) } || note.contains(english), english)
        }
    }

    func testScatterHasOneCirclePerFinitePoint() throws {
        let chart = try scatter(x: [0, 1, 2, .nan], y: [0, 1, 4, 1], labels: [0, 1, 1, 0], classNames: ["cat", "dog"])
        let doc = parse(chart.svg())
        XCTAssertEqual(doc.classes["point"], 3)
        XCTAssertEqual(doc.classes["legend"], 4)
        XCTAssertTrue(doc.texts.contains("dog"))
    }

    func testHeatmapHasCellsAndColourBar() throws {
        let doc = parse(try heatmap([[1, -0.5, 0], [-0.5, 1, 0.2]], title: "C").svg())
        XCTAssertEqual(doc.classes["cell"], 6)
        XCTAssertEqual(doc.classes["colorbar"], 40)
        XCTAssertTrue(doc.texts.contains("-1") && doc.texts.contains("1") && doc.texts.contains("0"))
        XCTAssertTrue(doc.texts.contains { $0.contains("2×3") })
        // Pooled to at most 128 cells per side.
        let big = parse(try heatmap(values: [Double](repeating: 0.5, count: 300 * 10), rows: 300, columns: 10).svg())
        XCTAssertEqual(big.classes["cell"], 100 * 4)
    }

    func testHistogramHasOneBarPerBin() throws {
        let doc = parse(try hist([1, 2, 2, 3, 3, 3], bins: 5).svg())
        XCTAssertEqual(doc.classes["bar"], 5)
        XCTAssertTrue(doc.texts.contains("count"))
    }

    func testImagesAreRectsPerPixelWithLabels() throws {
        let chart = try show(images: [Float](repeating: 0.25, count: 3 * 4 * 5), shape: [3, 1, 4, 5], labels: ["a", "b", "c"])
        let doc = parse(chart.svg())
        XCTAssertEqual(doc.classes["pixel"], 60)
        XCTAssertEqual(doc.classes["image"], 3)
        XCTAssertEqual(doc.classes["label"], 3)
        XCTAssertTrue(chart.svg().contains("fill=\"#404040\""), "0.25 grey is #404040")
    }

    func testTextIsEscaped() throws {
        let nasty = "a < b & \"c\" > 'd' \u{1}"
        let svg = try plot([Series(name: nasty, y: [1, 2])], title: nasty).svg()
        let doc = parse(svg)
        XCTAssertTrue(doc.texts.contains("a < b & \"c\" > 'd' "))
        XCTAssertEqual(xmlEscape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;")
    }

    func testSaveWritesAtomicallyAndLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("display-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("loss.svg").path
        let chart = try plot([3, 2, 1], title: "loss")
        try chart.save(to: path)
        try chart.save(to: path)  // replaces the first
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), chart.svg())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["loss.svg"])
        XCTAssertThrowsError(try chart.save(to: dir.appendingPathComponent("missing/dir.svg").path))
    }
}

final class DecimationTests: XCTestCase {
    func testLongSeriesAreThinnedButKeepTheirExtremes() throws {
        var y = (0..<100_000).map { sin(Double($0) / 500) }
        y[54_321] = 40  // a spike must survive
        let svg = try plot(y).svg()
        let points = svg.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }.split(separator: " ")
        XCTAssertLessThan(points.count, 4 * 600)
        let ys = points.compactMap { Double($0.split(separator: ",")[1]) }
        // y range -1...40 padded by 4% of 41 on each side; plot area y from 20 (top) to 345:
        // the spike sits at 345 - (40 + 2.64) / 44.28 * 325 = 32.04.
        XCTAssertEqual(ys.min() ?? 0, 32.04, accuracy: 0.02, "the spike survives thinning")
    }
}
