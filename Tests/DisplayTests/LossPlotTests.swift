import Foundation
import XCTest
@testable import Display

/// A run's loss plot counts epochs from 1, as the progress bar does (`epoch 1/12`).
final class LossPlotTests: XCTestCase {
    let losses = [2.0, 1.5, 1.2, 1.0, 0.9, 0.85, 0.8, 0.78, 0.77, 0.76, 0.75, 0.74]

    func testCountingTicksStartAtTheFirstValue() {
        XCTAssertEqual(Ticks.counting(lo: 1, hi: 20, count: 5).values, [1, 5, 10, 15, 20])
        XCTAssertEqual(Ticks.counting(lo: 1, hi: 20, count: 5).labels, ["1", "5", "10", "15", "20"])
        XCTAssertEqual(Ticks.values(lo: 1, hi: 20, count: 5), [5, 10, 15, 20], "plain ticks leave 1 out")
        // Whole numbers only: a step of 2.5 keeps 5 and 10, never "7.5" epochs.
        XCTAssertEqual(Ticks.counting(lo: 1, hi: 12, count: 5).labels, ["1", "5", "10"])
        XCTAssertEqual(Ticks.counting(lo: 0, hi: 10, count: 3).values, Ticks.values(lo: 0, hi: 10, count: 3))
        // A round tick closer than half a step to the first value is left out (no overlap).
        XCTAssertEqual(Ticks.counting(lo: 4, hi: 40, count: 5).values, [4, 10, 20, 30, 40])
    }

    func testTheSVGAxisSaysEpochAndStartsAtOne() throws {
        let chart = try lossPlot(losses, title: "SimCLR: loss per epoch")
        XCTAssertEqual(chart.xLabel, "epoch")
        XCTAssertEqual(chart.yLabel, "loss")
        let svg = chart.svg()
        // x tick labels are centred under their ticks (y labels are right-aligned).
        let xLabels = svg.components(separatedBy: "<text ").filter {
            $0.contains("text-anchor=\"middle\" class=\"tick-label\"")
        }.map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
        XCTAssertEqual(xLabels.first, "1", svg)
        XCTAssertTrue(xLabels.allSatisfy { Int($0).map { (1...12).contains($0) } ?? false }, "\(xLabels)")
        XCTAssertFalse(xLabels.contains("0"), "no epoch 0")
        XCTAssertTrue(svg.contains(">epoch</text>") && svg.contains(">loss</text>"))
    }

    func testTheTerminalAxisStartsAtOne() throws {
        let text = try lossPlot(losses).render(.plain)
        let lines = text.split(separator: "\n").map(String.init)
        let axis = try XCTUnwrap(lines.firstIndex { $0.contains("└") })
        let labels = lines[axis + 1].split(separator: " ")
        XCTAssertEqual(labels.first, "1", text)
        XCTAssertTrue(labels.allSatisfy { Int($0).map { (1...12).contains($0) } ?? false }, text)
        XCTAssertTrue(lines.contains { $0.trimmingCharacters(in: .whitespaces) == "epoch" }, text)
    }
}
