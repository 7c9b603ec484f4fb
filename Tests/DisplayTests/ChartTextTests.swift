import XCTest
@testable import Display

/// Golden tests of the terminal text of every chart kind with colour off, 40 columns wide.
/// The expected text was produced by this code and checked by eye when it was pinned
/// (axes, tick positions, markers per series, ramps); any layout change shows up here.
final class ChartTextTests: XCTestCase {
    let caps = TerminalCapabilities(width: 40)
    /// 2 images of 4×4 pixels: 0, 1/15, ..., 1 row by row.
    let ramp: [Float] = (0..<32).map { (i: Int) -> Float in Float(i % 16) / 15 }

    func testLineSingle() throws {
        XCTAssertEqual(try plot([0, 1, 4, 9, 16, 25], title: "squares").render(caps, height: 5), """
                           squares
               │                              ⢀⡠⠔⠊
            20 ┤                          ⢀⡠⠔⠊⠁
               │                     ⣀⡠⠔⠒⠉⠁
               │              ⢀⣀⠤⠤⠒⠊⠉
             0 ┤⣀⣀⣀⡠⠤⠤⠤⠤⠔⠒⠒⠒⠉⠉⠁
               └┬────────────────────────────────┬
                0                                5
            """)
    }

    func testLineTwoSeriesMarkers() throws {
        XCTAssertEqual(try plot([Series(name: "train", y: [4, 3, 2, 1.5, 1]), Series(name: "val", y: [4, 3.5, 3, 2.8, 2.7])], title: "loss", xLabel: "epoch").render(caps, height: 6), """
                             loss
            4 ┤oooooooo
              │    ***oooooooooo
              │        *****   ooooooooooooooooooo
            2 ┤             ******
              │                   *********
              │                           ********
              └┬────────────────┬────────────────┬
               0                2                4
                            epoch
               * train  o val
            """)
    }

    func testLineLogY() throws {
        XCTAssertEqual(try plot([1, 10, 100, 1000], title: "log", logY: true).render(caps, height: 6), """
                             log
            1000 ┤                           ⣀⡠⠤⠒⠉
                 │                      ⣀⠤⠔⠒⠉
             100 ┤                ⣀⡠⠤⠒⠊⠉
              10 ┤          ⣀⡠⠤⠒⠊⠉
                 │     ⣀⠤⠔⠒⠉
               1 ┤⣀⠤⠒⠊⠉
                 └┬────────────────────┬──────────
                  0                    2
              (log scale)
            """)
    }

    func testLineSkipsNaN() throws {
        XCTAssertEqual(try plot([1, .nan, 3, .infinity, 5]).render(caps, height: 4), """
              │                                  ⠈
            4 ┤
            2 ┤                 ⠈
              │⡀
              └┬────────────────┬────────────────┬
               0                2                4
            """)
    }

    func testScatterByLabel() throws {
        XCTAssertEqual(try scatter(x: [0, 1, 2, 3, 0.5, 2.5], y: [0, 1, 0, 1, 3, 3], labels: [0, 0, 1, 1, 2, 2], classNames: ["a", "b", "c"]).render(caps, height: 5), """
              │      +                      +
            2 ┤
              │
              │           *                      o
            0 ┤*                      o
              └┬──────────────────────┬───────────
               0                      2
               * a  o b  + c
            """)
    }

    func testHeatmapDiverging() throws {
        XCTAssertEqual(try heatmap([[1, -0.5, 0], [-0.5, 1, 0.25], [0, 0.25, 1]], title: "corr").render(caps), """
            corr
              ##--
              --##..
                ..##
              -1 [%%%==---'''  ...+++**###] 1
              3×3, values -0.5 ... 1
            """)
    }

    func testHeatmapSequential() throws {
        XCTAssertEqual(try heatmap([[0, 1, 2, 3], [4, 5, 6, 7]]).render(caps), """
                ..::==
              ++##%%@@
              0 [  ...::---==++***##%%%@@] 7
              2×4, values 0 ... 7
            """)
    }

    func testHeatmapPooled() throws {
        XCTAssertEqual(try heatmap(values: (0..<(30 * 30)).map { Double($0 % 30) }, rows: 30, columns: 30).render(caps), """
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
                  ..::::--==++++**####%%@@@@
              0 [  ...::---==++***##%%%@@] 29
              30×30, each cell the mean of 2×2,
              values 0 ... 29
            """)
    }

    func testHistogram() throws {
        XCTAssertEqual(try hist([1, 2, 2, 3, 3, 3, 4, 4, 4, 4], bins: 4, title: "h").render(caps, height: 4), """
                             h
              count
            4 ┤                        ███████
              │                ███████ ███████
            2 ┤        ███████ ███████ ███████
            0 ┤███████ ███████ ███████ ███████
              └──────────┬────────────────────┬
                         2                    4
              4 bins of width 0.75, 10 values
            """)
    }

    func testImagesWithLabels() throws {
        XCTAssertEqual(try show(images: ramp, shape: [2, 1, 4, 4], labels: ["a", "bb"]).render(caps), """
                ....      ....
            ::----==  ::----==
            ++****##  ++****##
            ##%%@@@@  ##%%@@@@
               a         bb
            """)
    }

    func testImagesRescaled() throws {
        XCTAssertEqual(try show(images: ramp.map { $0 * 4 - 2 }, shape: [2, 4, 4]).render(caps), """
                ....      ....
            ::----==  ::----==
            ++****##  ++****##
            ##%%@@@@  ##%%@@@@
            (rescaled from -2...2 to 0...1)
            """)
    }

    func testImagesScaledUp() throws {
        XCTAssertEqual(try show(images: [0, 1, 1, 0], shape: [1, 1, 2, 2], scale: 2).render(caps), """
                @@@@
                @@@@
            @@@@
            @@@@
            """)
    }

    func testImagesRGB() throws {
        XCTAssertEqual(try show(images: [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1], shape: [1, 3, 2, 2]).render(caps), """
            ::++
            ..@@
            """)
    }

}
