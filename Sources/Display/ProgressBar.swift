#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabSupport

/// A training progress bar: epoch and step, a bar, percentage, rate, ETA and the mean loss
/// of the epoch so far.
///
/// ```
/// epoch 2/5 step  30/100 [=======>            ]  26% 12.5 steps/s ETA 0:11 loss 0.4321
/// ```
///
/// On a terminal (`interactive`) one line is redrawn in place with `\r` (at most every
/// `redrawInterval` seconds, and at every epoch's end) and kept when the run ends, so a
/// long run takes one line. Otherwise a plain line is written each time the overall
/// progress crosses a multiple of 10%, so at most ten lines.
/// Text goes to `sink`, never straight to standard output; time comes from `clock`
/// (seconds), so tests drive it with a fake clock.
public struct ProgressBar {
    public let epochs: Int
    public let stepsPerEpoch: Int
    public let interactive: Bool
    public let barWidth: Int
    public var redrawInterval: Double = 0.1
    private let clock: () -> Double
    private let sink: (String) -> Void

    private let start: Double
    private var lastDraw = -Double.infinity
    private var lastDecile = 0
    private var lastLength = 0
    private var lineOpen = false
    private var epochLossSum = 0.0
    private var epochLossCount = 0
    private var currentEpoch = 0

    /// - Parameters:
    ///   - epochs, stepsPerEpoch: the size of the run (at least 1 each).
    ///   - interactive: redraw in place (pass `TerminalCapabilities.isTerminal`).
    ///   - barWidth: characters between the brackets.
    ///   - clock: seconds from any fixed origin; `ProgressBar.monotonicSeconds` by default.
    ///   - sink: receives text exactly as it should be written (with `\r` and `\n`).
    public init(epochs: Int, stepsPerEpoch: Int, interactive: Bool, barWidth: Int = 20,
                clock: @escaping () -> Double = ProgressBar.monotonicSeconds,
                sink: @escaping (String) -> Void) {
        self.epochs = max(1, epochs)
        self.stepsPerEpoch = max(1, stepsPerEpoch)
        self.interactive = interactive
        self.barWidth = max(5, barWidth)
        self.clock = clock
        self.sink = sink
        start = clock()
    }

    /// A sink that writes straight to standard output (unbuffered `write(2)`), so `\r`
    /// redraws show at once.
    public static func standardOutput(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Seconds since an arbitrary origin, from the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Records that step `step` (1-based) of epoch `epoch` (1-based) is done, with its loss.
    public mutating func update(epoch: Int, step: Int, loss: Double? = nil) {
        let epoch = min(max(1, epoch), epochs), step = min(max(1, step), stepsPerEpoch)
        if epoch != currentEpoch {
            currentEpoch = epoch
            epochLossSum = 0
            epochLossCount = 0
        }
        if let loss { epochLossSum += loss; epochLossCount += 1 }
        let now = clock()
        let done = (epoch - 1) * stepsPerEpoch + step
        let epochEnd = step == stepsPerEpoch
        let line = render(epoch: epoch, step: step, done: done, now: now)
        let finished = done == epochs * stepsPerEpoch
        if interactive {
            guard epochEnd || now - lastDraw >= redrawInterval else { return }
            lastDraw = now
            let padding = String(repeating: " ", count: max(0, lastLength - line.displayWidth))
            sink("\r" + line + padding + (finished ? "\n" : ""))
            lastLength = finished ? 0 : line.displayWidth
            lineOpen = !finished
        } else {
            let decile = done * 10 / (epochs * stepsPerEpoch)
            guard finished || decile > lastDecile else { return }
            lastDecile = decile
            sink(line + "\n")
        }
    }

    /// Writes `text` as a line of its own below the bar (a warning of the run's collapse
    /// monitor); the bar goes on drawing on the next line.
    public mutating func note(_ text: String) {
        if lineOpen { sink("\n"); lineOpen = false }
        sink(text + "\n")
        lastLength = 0
    }

    /// Ends an open in-place line and writes the total time (not when the run was
    /// interrupted: its own message says so).
    public mutating func finish(interrupted: Bool = false) {
        if lineOpen { sink("\n"); lineOpen = false }
        if !interrupted { sink(Messages.text("done in {time}", ["time": ProgressBar.duration(clock() - start)]) + "\n") }
    }

    /// One status line (without `\r` or newline).
    func render(epoch: Int, step: Int, done: Int, now: Double) -> String {
        let total = epochs * stepsPerEpoch
        let fraction = Double(done) / Double(total)
        let elapsed = max(0, now - start)
        let filled = Int(fraction * Double(barWidth))
        var bar = String(repeating: "=", count: filled)
        if filled < barWidth { bar += ">" + String(repeating: " ", count: barWidth - filled - 1) }
        let stepWidth = String(stepsPerEpoch).count
        let stepText = String(repeating: " ", count: max(0, stepWidth - String(step).count)) + String(step)
        let percent = String(Int((fraction * 100).rounded(.down)))
        var values = ["epoch": String(epoch), "epochs": String(epochs), "step": stepText, "steps": String(stepsPerEpoch),
                      "bar": bar, "percent": String(repeating: " ", count: 3 - min(3, percent.count)) + percent]
        if elapsed > 0 {
            let rate = Double(done) / elapsed
            values["rate"] = ProgressBar.rate(rate)
            values["eta"] = ProgressBar.duration(Double(total - done) / rate)
        }
        if epochLossCount > 0 { values["loss"] = NumberFormat.compact(epochLossSum / Double(epochLossCount)) }
        // One whole sentence per combination of what is known, so a language can order it freely.
        switch (values["rate"] != nil, values["loss"] != nil) {
        case (false, false):
            return Messages.text("epoch {epoch}/{epochs} step {step}/{steps} [{bar}] {percent}%", values)
        case (true, false):
            return Messages.text("epoch {epoch}/{epochs} step {step}/{steps} [{bar}] {percent}% {rate} steps/s ETA {eta}", values)
        case (false, true):
            return Messages.text("epoch {epoch}/{epochs} step {step}/{steps} [{bar}] {percent}% loss {loss}", values)
        case (true, true):
            return Messages.text("epoch {epoch}/{epochs} step {step}/{steps} [{bar}] {percent}% {rate} steps/s ETA {eta} loss {loss}", values)
        }
    }

    /// `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "?" }
        let s = Int(seconds.rounded())
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }

    /// A rate with 3 significant digits (`12.5`, `0.833`, `1250`).
    static func rate(_ r: Double) -> String {
        r >= 1000 ? String(Int(r.rounded())) : NumberFormat.compact(r, digits: 3)
    }
}
