import LabSupport

/// Summary statistics of a tensor's elements, computed in `Double`.
///
/// `min`, `max`, `mean` and `std` are over the finite elements only; `std` is the
/// population standard deviation `sqrt(mean((x - mean)^2))` (NumPy's default, `ddof=0`).
/// NaN and ±Inf are counted separately so that a blow-up is visible at a glance.
public struct TensorStats: Sendable, Equatable {
    public var count: Int
    public var finiteCount: Int
    public var min: Double
    public var max: Double
    public var mean: Double
    public var std: Double
    public var nanCount: Int
    public var infCount: Int

    public init<S: Sequence>(_ values: S) where S.Element: BinaryFloatingPoint {
        var count = 0, nan = 0, inf = 0
        var finite: [Double] = []
        for v in values {
            count += 1
            if v.isNaN { nan += 1 } else if v.isInfinite { inf += 1 } else { finite.append(Double(v)) }
        }
        self.count = count
        finiteCount = finite.count
        nanCount = nan
        infCount = inf
        min = finite.min() ?? .nan
        max = finite.max() ?? .nan
        let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
        self.mean = mean
        std = finite.isEmpty ? .nan
            : (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)).squareRoot()
    }

    /// One line: `min -1.2  max 3.4  mean 0.5  std 1.1`, then `nan 1  inf 2` when present;
    /// numbers with 4 significant digits.
    public var line: String {
        var parts: [String] = []
        if count == 0 { return Messages.text("empty") }
        if finiteCount == 0 {
            parts.append(Messages.text("no finite values"))
        } else {
            parts.append(Messages.text("min {min}  max {max}  mean {mean}  std {std}",
                                       ["min": NumberFormat.compact(min), "max": NumberFormat.compact(max),
                                        "mean": NumberFormat.compact(mean), "std": NumberFormat.compact(std)]))
        }
        if nanCount > 0 { parts.append(Messages.text("nan {count}", ["count": String(nanCount)])) }
        if infCount > 0 { parts.append(Messages.text("inf {count}", ["count": String(infCount)])) }
        return parts.joined(separator: "  ")
    }
}
