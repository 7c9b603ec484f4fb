import LabSupport
import TensorCore

/// Random brightness, contrast, saturation and hue (torchvision `ColorJitter`).
///
/// As torchvision: the factors are drawn as brightness, contrast, saturation ∈
/// [max(0, 1 − v), 1 + v] and hue ∈ [−v, v] (uniform); the four adjustments are applied in
/// a random order (a uniform permutation, like `torch.randperm(4)`); a parameter of 0 skips
/// its adjustment. Wrap in a probability (`probability: 0.8` in SimCLR) instead of
/// `RandomApply`. lightly's `cj_strength` s scales the four: (0.8s, 0.8s, 0.8s, 0.2s).
public struct ColorJitter: Augmentation {
    public var brightness: Float
    public var contrast: Float
    public var saturation: Float
    public var hue: Float
    public var probability: Float

    public init(brightness: Float = 0, contrast: Float = 0, saturation: Float = 0, hue: Float = 0,
                probability: Float = 1) {
        self.brightness = brightness; self.contrast = contrast; self.saturation = saturation
        self.hue = hue; self.probability = probability
    }

    /// lightly's convention: jitter (0.8, 0.8, 0.8, 0.2) scaled by `strength`.
    public init(strength: Float, probability: Float = 0.8) {
        self.init(brightness: 0.8 * strength, contrast: 0.8 * strength, saturation: 0.8 * strength,
                  hue: 0.2 * strength, probability: probability)
    }

    public func validate(height: Int, width: Int) throws {
        try require(brightness >= 0 && contrast >= 0 && saturation >= 0, "color_jitter",
                    Messages.text("brightness, contrast and saturation must not be negative"))
        try require((0...0.5).contains(hue), "color_jitter", Messages.text("hue {hue} must lie in [0, 0.5]", ["hue": "\(hue)"]))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let order = rng.permutation(4)
        func factor(_ v: Float) -> Float { rng.nextFloat(in: max(0, 1 - v), 1 + v) }
        let b = brightness > 0 ? factor(brightness) : 1
        let c = contrast > 0 ? factor(contrast) : 1
        let s = saturation > 0 ? factor(saturation) : 1
        let h = hue > 0 ? rng.nextFloat(in: -hue, hue) : 0
        for op in order {
            switch op {
            case 0: if brightness > 0 { adjustBrightness(&image, factor: b) }
            case 1: if contrast > 0 { adjustContrast(&image, factor: c) }
            case 2: if saturation > 0 { adjustSaturation(&image, factor: s) }
            default: if hue > 0 { adjustHue(&image, factor: h) }
            }
        }
    }
}

/// Converts to grey, keeping three equal channels (torchvision `RandomGrayscale`, p 0.1 by
/// default there; the SSL pipelines use 0.2).
public struct RandomGrayscale: Augmentation {
    public var probability: Float
    public init(probability: Float = 0.2) { self.probability = probability }
    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) { grayscale(&image) }
}

/// Inverts the pixels at or above `threshold` (lightly `RandomSolarization`: threshold
/// 128/255, here 0.5 on [0, 1] images).
public struct RandomSolarize: Augmentation {
    public var threshold: Float
    public var probability: Float
    public init(threshold: Float = 0.5, probability: Float = 0.2) {
        self.threshold = threshold; self.probability = probability
    }
    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        solarize(&image, threshold: threshold)
    }
}
