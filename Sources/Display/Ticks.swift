import Foundation

/// Axis ticks at "nice" values (1, 2, 2.5 or 5 times a power of ten), Heckbert's method.
public enum Ticks {
    /// The step between about `count` ticks covering `lo...hi`.
    public static func niceStep(lo: Double, hi: Double, count: Int) -> Double {
        let span = hi - lo
        guard span > 0, span.isFinite else { return 1 }
        let rough = span / Double(max(1, count - 1))
        let magnitude = pow(10, floor(log10(rough)))
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= rough * 0.999_999 {
            return m * magnitude
        }
        return 10 * magnitude
    }

    /// Tick values inside `lo...hi`, about `count` of them (at least 2), multiples of a nice step.
    public static func values(lo: Double, hi: Double, count: Int) -> [Double] {
        var target = max(2, count)
        var ticks = fixedStepValues(lo: lo, hi: hi, count: target)
        while ticks.count < 2 && target < count + 10 {
            target += 1
            ticks = fixedStepValues(lo: lo, hi: hi, count: target)
        }
        return ticks
    }

    /// Ticks of an axis that counts whole things from `lo` (epochs from 1): `lo` itself,
    /// then the whole-numbered ticks of `values` at least half a step after it (1, 5, 10,
    /// 15, 20 for 1...20), labelled as whole numbers.
    public static func counting(lo: Double, hi: Double, count: Int) -> (values: [Double], labels: [String]) {
        var ticks = values(lo: lo, hi: hi, count: count).filter { $0 == $0.rounded() }
        let step = max(1, self.step(lo: lo, hi: hi, count: count))
        if lo.isFinite, lo == lo.rounded(), ticks.first != lo {
            ticks = [lo] + ticks.filter { $0 - lo >= step / 2 }
        }
        return (ticks, ticks.map { NumberFormat.compact($0, digits: 12) })
    }

    /// The step `values` settled on for the same arguments.
    public static func step(lo: Double, hi: Double, count: Int) -> Double {
        var target = max(2, count)
        while fixedStepValues(lo: lo, hi: hi, count: target).count < 2 && target < count + 10 { target += 1 }
        return niceStep(lo: lo, hi: hi, count: target)
    }

    /// Ticks on a log10 axis, as exponents: powers of ten when the range spans more than
    /// two decades, else 1, 2 and 5 times powers of ten; at least two when possible.
    public static func logValues(lo: Double, hi: Double) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        if hi - lo > 2 {
            // Whole decades, every `stride`-th one, so that there are at most about 8.
            let stride = max(1, Int(((hi - lo) / 8).rounded(.up)))
            var k = Int(lo.rounded(.up))
            while k % stride != 0 { k += 1 }
            var result: [Double] = []
            while Double(k) <= hi + 1e-9 { result.append(Double(k)); k += stride }
            return result.count >= 2 ? result : values(lo: lo, hi: hi, count: 3)
        }
        let multipliers: [Double] = hi - lo > 0.7 ? [1, 2, 5] : [1, 1.5, 2, 3, 5, 7]
        var result: [Double] = []
        for k in Int(floor(lo))...Int(ceil(hi)) {
            for m in multipliers {
                let e = Double(k) + log10(m)
                if e >= lo - 1e-9 && e <= hi + 1e-9 { result.append(e) }
            }
        }
        return result.count >= 2 ? result : values(lo: lo, hi: hi, count: 3)
    }

    private static func fixedStepValues(lo: Double, hi: Double, count: Int) -> [Double] {
        let step = niceStep(lo: lo, hi: hi, count: count)
        guard hi > lo, step > 0 else { return [lo] }
        var result: [Double] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + step * 1e-9, result.count < 100 {
            let v = k * step
            result.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return result
    }

    /// Labels for ticks spaced by `step`: a fixed number of decimals that shows the step
    /// (`0.25` -> 2 decimals), or `%g` for very large or small magnitudes.
    public static func labels(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e6 || (largest > 0 && largest < 1e-3) || step < 1e-4 {
            return ticks.map { NumberFormat.compact($0, digits: 3) }
        }
        let decimals = step >= 1 && step == step.rounded() ? 0
            : max(0, Int(ceil(-log10(step) - 1e-9)) + (isQuarterStep(step) ? 1 : 0))
        return ticks.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) }
    }

    /// Labels for ticks on a log10 axis: the tick value is an exponent.
    public static func logLabels(_ exponents: [Double]) -> [String] {
        exponents.map { NumberFormat.compact(pow(10, $0), digits: 6) }
    }

    private static func isQuarterStep(_ step: Double) -> Bool {
        let mantissa = step / pow(10, floor(log10(step)))
        return abs(mantissa - 2.5) < 1e-9
    }
}

/// A numeric range that maps data values to positions, padded when degenerate.
struct AxisRange {
    var lo: Double
    var hi: Double

    /// The range of the finite values, widened when all values are equal or none exist.
    init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.5
            lo -= pad; hi += pad
        }
        self.lo = lo
        self.hi = hi
    }

    init(lo: Double, hi: Double) { self.lo = lo; self.hi = hi }

    /// The range widened by `fraction` of its span on each side (margins for dots).
    func padded(_ fraction: Double) -> AxisRange {
        let pad = (hi - lo) * fraction
        return AxisRange(lo: lo - pad, hi: hi + pad)
    }

    /// `v` mapped to [0, 1] (computed so that it stays finite for any finite range).
    func unit(_ v: Double) -> Double {
        let span = hi - lo
        if span.isFinite { return (v - lo) / span }
        return (v / 2 - lo / 2) / (hi / 2 - lo / 2)
    }

    /// The cell (0..<count) of the unit position `t` in `count` equal cells; -1 for NaN,
    /// so that it lands outside any grid instead of trapping in `Int(_:)`.
    static func cell(_ t: Double, _ count: Int) -> Int {
        guard t.isFinite else { return -1 }
        return Int(min(max(t * Double(count - 1), -1), Double(count)).rounded())
    }
}
