#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learning rate as a function of the step (0, 1, 2, …). Use it before each step:
/// `optimizer.learningRate = schedule(step)`.
public enum LearningRateSchedule: Equatable, Sendable {
    /// Always `base`.
    case constant(base: Float)
    /// `base · gamma^⌊step / stepSize⌋` (PyTorch's StepLR).
    case step(base: Float, stepSize: Int, gamma: Float)
    /// Linear warm-up from base/warmupSteps to `base` over the first `warmupSteps` steps,
    /// then half a cosine from `base` down to `final` at `totalSteps` (and `final` after):
    ///
    ///     warm-up (step < W):  base·(step + 1)/W
    ///     after:               final + (base − final)·(1 + cos(π·(step − W)/(T − W)))/2
    case cosine(base: Float, warmupSteps: Int, totalSteps: Int, final: Float)

    /// A cosine schedule without warm-up, ending at 0.
    public static func cosine(base: Float, totalSteps: Int) -> LearningRateSchedule {
        .cosine(base: base, warmupSteps: 0, totalSteps: totalSteps, final: 0)
    }

    /// The learning rate at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        switch self {
        case let .constant(base):
            return base
        case let .step(base, stepSize, gamma):
            return base * powf(gamma, Float(Swift.max(step, 0) / Swift.max(stepSize, 1)))
        case let .cosine(base, warmup, total, final):
            if step < warmup { return base * Float(step + 1) / Float(warmup) }
            let span = Swift.max(total - warmup, 1)
            let progress = Float(Swift.min(step - warmup, span)) / Float(span)
            return final + (base - final) * (1 + cosf(Float.pi * progress)) / 2
        }
    }
}
