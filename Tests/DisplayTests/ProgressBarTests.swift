import XCTest
@testable import Display
import LabSupport

/// A clock the test moves by hand.
private final class FakeClock: @unchecked Sendable {
    var now = 100.0
}

final class ProgressBarTests: XCTestCase {
    func testInteractiveRunOfSeveralEpochsKeepsOnlyTheFinalLine() {
        let clock = FakeClock()
        var out: [String] = []
        var bar = ProgressBar(epochs: 3, stepsPerEpoch: 2, interactive: true, barWidth: 6,
                              clock: { clock.now }, sink: { out.append($0) })
        for epoch in 1...3 {
            for step in 1...2 {
                clock.now += 1
                bar.update(epoch: epoch, step: step, loss: 1)
            }
        }
        bar.finish()
        XCTAssertEqual(out.filter { $0.hasSuffix("\n") }.count, 2, "\(out)")  // the final line and "done"
        XCTAssertTrue(out[out.count - 2].hasPrefix("\repoch 3/3 step 2/2 [======] 100%"), "\(out)")
        XCTAssertTrue(out.dropLast(2).allSatisfy { $0.hasPrefix("\r") && !$0.hasSuffix("\n") }, "\(out)")
    }

    func testPlainOutputWritesAtMostTenLinesOverManyEpochs() {
        let clock = FakeClock()
        var out: [String] = []
        var bar = ProgressBar(epochs: 50, stepsPerEpoch: 3, interactive: false, clock: { clock.now }, sink: { out.append($0) })
        for epoch in 1...50 {
            for step in 1...3 {
                clock.now += 0.1
                bar.update(epoch: epoch, step: step, loss: 1)
            }
        }
        XCTAssertEqual(out.count, 10, "\(out)")
        XCTAssertTrue(out.last?.hasPrefix("epoch 50/50 step 3/3") ?? false, "\(out)")
    }

    func testPlainOutputWritesEveryTenthAndEachEpochEnd() {
        let clock = FakeClock()
        var out: [String] = []
        var bar = ProgressBar(epochs: 2, stepsPerEpoch: 10, interactive: false, barWidth: 10,
                              clock: { clock.now }, sink: { out.append($0) })
        for epoch in 1...2 {
            for step in 1...10 {
                clock.now += 0.5
                bar.update(epoch: epoch, step: step, loss: Double(3 - epoch) + Double(step) / 10)
            }
        }
        clock.now += 1
        bar.finish()
        XCTAssertEqual(out.count, 11)  // 10% ... 100% (epoch ends included), then "done"
        XCTAssertEqual(out[0], "epoch 1/2 step  2/10 [=>        ]  10% 2 steps/s ETA 0:09 loss 2.15\n")
        XCTAssertEqual(out[4], "epoch 1/2 step 10/10 [=====>    ]  50% 2 steps/s ETA 0:05 loss 2.55\n")
        XCTAssertEqual(out[9], "epoch 2/2 step 10/10 [==========] 100% 2 steps/s ETA 0:00 loss 1.55\n")
        XCTAssertEqual(out[10], "done in 0:11\n")
        XCTAssertFalse(out.joined().contains("\r"))
    }

    func testInteractiveRedrawsInPlaceAndKeepsEpochLines() {
        let clock = FakeClock()
        var out: [String] = []
        var bar = ProgressBar(epochs: 1, stepsPerEpoch: 4, interactive: true, barWidth: 8,
                              clock: { clock.now }, sink: { out.append($0) })
        clock.now += 0.25
        bar.update(epoch: 1, step: 1, loss: 1.0)
        clock.now += 0.01  // too soon after the last redraw: skipped
        bar.update(epoch: 1, step: 2, loss: 0.5)
        clock.now += 0.24
        bar.update(epoch: 1, step: 3)
        clock.now += 0.5
        bar.update(epoch: 1, step: 4, loss: 0)
        bar.finish()
        XCTAssertEqual(out, [
            "\repoch 1/1 step 1/4 [==>     ]  25% 4 steps/s ETA 0:01 loss 1",
            "\repoch 1/1 step 3/4 [======> ]  75% 6 steps/s ETA 0:00 loss 0.75",
            // One space of padding wipes the last character of the longer line before it.
            "\repoch 1/1 step 4/4 [========] 100% 4 steps/s ETA 0:00 loss 0.5 \n",
            "done in 0:01\n",
        ])
    }

    func testDurationAndRateFormats() {
        XCTAssertEqual(ProgressBar.duration(59.6), "1:00")
        XCTAssertEqual(ProgressBar.duration(3725), "1:02:05")
        XCTAssertEqual(ProgressBar.duration(.infinity), "?")
        XCTAssertEqual(ProgressBar.rate(12.345), "12.3")
        XCTAssertEqual(ProgressBar.rate(1234.5), "1235")
    }

    /// The progress line and the closing line are whole catalogue sentences: in Chinese the
    /// same numbers, bar and loss, in Chinese words; English exactly as before.
    func testTheLineSpeaksTheChosenLanguage() {
        let saved = Messages.language
        defer { Messages.language = saved }
        func lines(_ language: Language) -> [String] {
            Messages.language = language
            let clock = FakeClock()
            var out: [String] = []
            var bar = ProgressBar(epochs: 2, stepsPerEpoch: 2, interactive: false, barWidth: 5, clock: { clock.now }, sink: { out.append($0) })
            bar.update(epoch: 1, step: 1)
            clock.now += 1
            bar.update(epoch: 1, step: 2, loss: 0.5)
            clock.now += 2
            bar.update(epoch: 2, step: 2, loss: 0.25)
            bar.finish()
            return out
        }
        XCTAssertEqual(lines(.en), ["epoch 1/2 step 1/2 [=>   ]  25%\n", "epoch 1/2 step 2/2 [==>  ]  50% 2 steps/s ETA 0:01 loss 0.5\n",
                                    "epoch 2/2 step 2/2 [=====] 100% 1.33 steps/s ETA 0:00 loss 0.25\n", "done in 0:03\n"])
        XCTAssertEqual(lines(.zh), ["第 1/2 轮 第 1/2 步 [=>   ]  25%\n", "第 1/2 轮 第 2/2 步 [==>  ]  50% 2 步/秒 剩余 0:01 损失 0.5\n",
                                    "第 2/2 轮 第 2/2 步 [=====] 100% 1.33 步/秒 剩余 0:00 损失 0.25\n", "用时 0:03\n"])
    }
}
