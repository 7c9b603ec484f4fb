import LabSupport

/// The named view pipelines of the SSL methods, after lightly 1.6.0's transforms, scaled
/// for 32×32 images the way the SimCLR paper treats CIFAR-10.
///
/// Common to all (deviations from lightly, which targets 224×224 ImageNet):
/// - output size `imageSize` (lightly: 224); no `Normalize` step: images stay in [0, 1]
///   (lightly normalises with ImageNet statistics);
/// - Gaussian blur uses torchvision's 3-tap kernel (lightly uses PIL's blur of radius σ,
///   whose kernel grows with σ): at 32×32 a large blur erases a toy image, and the SimCLR
///   paper drops blur on CIFAR altogether (our `simclr` does too);
/// - crop scale: lightly's `min_scale` unless `minScale` is given (on 16×16 `shapes`, the
///   pilot used 0.35: a 0.08 crop of a small image often misses the shape);
/// - `simclr` at 16×16 and below is `simclrToy`, the pilot's recipe (any hue, crop from
///   0.35), strong enough to hide the `shapes` palette;
/// - no rotation and no vertical flip (lightly's defaults, rr_prob = vf_prob = 0).
extension ViewPipelines {
    /// One named pipeline: its name, a one-line summary and how to build it for
    /// `imageSize`×`imageSize` images with an optional crop scale.
    public struct Named: Sendable {
        public let name: String
        public let summary: String
        let make: @Sendable (_ imageSize: Int, _ minScale: Float?) -> ViewPipelines
    }

    /// The named pipelines, in the order help lists them; `names`, `named(_:)` and the
    /// `pipeline` builtin read this table (training methods name their default here).
    public static let catalog: [Named] = [
        Named(name: "simclr", summary: "SimCLR: crop, flip, colour jitter, grayscale (at 16×16 and below: the pilot's any-hue recipe)") {
            $0 <= toyImageSize ? simclrToy(imageSize: $0, minScale: $1 ?? 0.35) : simclr(imageSize: $0, minScale: $1 ?? 0.08)
        },
        Named(name: "moco-v2", summary: "MoCo v2: crop 0.2–1, flip, jitter, grayscale, blur") { mocoV2(imageSize: $0, minScale: $1 ?? 0.2) },
        Named(name: "byol", summary: "BYOL: asymmetric views (blur, solarize)") { byol(imageSize: $0, minScale: $1 ?? 0.08) },
        Named(name: "barlow", summary: "Barlow Twins: BYOL's views, as lightly does") { byol(imageSize: $0, minScale: $1 ?? 0.08) },
        Named(name: "vicreg", summary: "VICReg: crop, flip, jitter, grayscale, solarize, blur") { vicreg(imageSize: $0, minScale: $1 ?? 0.08) },
        Named(name: "crop-only", summary: "the SimCLR crop and flip, no colour") { cropOnly(imageSize: $0, minScale: $1 ?? 0.08) },
        Named(name: "color-only", summary: "SimCLR's colour jitter and grayscale, no geometry") { _, _ in colorOnly() },
        Named(name: "digits", summary: "8×8 digits: small affine map and Gaussian noise") { _, _ in digits() },
        Named(name: "none", summary: "identity: both views equal the input") { _, _ in ViewPipelines(.identity) },
    ]

    /// Every name `named(_:)` accepts.
    public static var names: [String] { catalog.map(\.name) }

    /// The pipeline called `name` (see `names`) for `imageSize`×`imageSize` images.
    public static func named(_ name: String, imageSize: Int = 32, minScale: Float? = nil) throws -> ViewPipelines {
        guard imageSize >= 1 else {
            throw AugmentationError.invalidInput(op: "pipeline", message: Messages.text("image size {size} must be positive", ["size": "\(imageSize)"]))
        }
        if let s = minScale, !(s > 0 && s <= 1) {
            throw AugmentationError.invalidInput(op: "pipeline", message: Messages.text("min scale {scale} must lie in (0, 1]", ["scale": "\(s)"]))
        }
        guard let entry = catalog.first(where: { $0.name == name }) else {
            throw AugmentationError.unknownPipeline(name: name, known: names)
        }
        return entry.make(imageSize, minScale)
    }

    /// SimCLR (lightly `SimCLRTransform`): resized crop (scale `minScale`–1), horizontal
    /// flip p 0.5, colour jitter of strength `jitterStrength` = (0.8, 0.8, 0.8, 0.2)·s with
    /// p 0.8, grayscale p 0.2, blur p `blurProbability`.
    /// CIFAR scaling (SimCLR paper, appendix B.9): strength 0.5 (lightly: 1.0) and no blur
    /// (lightly: p 0.5), giving jitter (0.4, 0.4, 0.4, 0.1).
    public static func simclr(imageSize: Int = 32, minScale: Float = 0.08, jitterStrength: Float = 0.5,
                              blurProbability: Float = 0) -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomResizedCrop(size: imageSize, scale: minScale...1),
            HorizontalFlip(probability: 0.5),
            ColorJitter(strength: jitterStrength, probability: 0.8),
            RandomGrayscale(probability: 0.2),
            GaussianBlur(kernelSize: 3, sigma: 0.1...2, probability: blurProbability),
        ]))
    }

    /// Images this small or smaller (the 16×16 `shapes`) get `simclrToy` from `named("simclr")`.
    public static let toyImageSize = 16

    /// SimCLR's views at toy scale (16×16 and below), as a PyTorch pilot of SimCLR on the
    /// 16×16 shapes found to work: resized crop (scale `minScale`–1, default 0.35: at 16×16 a 0.08 crop is
    /// about 4×4 pixels and often misses the object), horizontal flip, colour jitter
    /// brightness and contrast ±0.4, saturation ±0.6 and *any* hue (p 0.8), grayscale p 0.2,
    /// Gaussian noise σ 0.05. The CIFAR jitter of `simclr` moves hue by at most 0.1 of a
    /// turn, less than the sixth of a turn between the `shapes` palette colours, so both
    /// views keep their colour and SimCLR can match them by colour alone; any hue hides it.
    public static func simclrToy(imageSize: Int = 16, minScale: Float = 0.35) -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomResizedCrop(size: imageSize, scale: minScale...1),
            HorizontalFlip(probability: 0.5),
            ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.6, hue: 0.5, probability: 0.8),
            RandomGrayscale(probability: 0.2),
            GaussianNoise(std: 0.05),
        ]))
    }

    /// MoCo v2 (lightly `MoCoV2Transform`): crop scale 0.2–1, flip, jitter (0.4, 0.4, 0.4,
    /// 0.1) p 0.8, grayscale p 0.2, blur p 0.5 (3-tap, σ 0.1–2). lightly's jitter here is
    /// already the CIFAR strength, so it is unchanged.
    public static func mocoV2(imageSize: Int = 32, minScale: Float = 0.2) -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomResizedCrop(size: imageSize, scale: minScale...1),
            HorizontalFlip(probability: 0.5),
            ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, probability: 0.8),
            RandomGrayscale(probability: 0.2),
            GaussianBlur(kernelSize: 3, sigma: 0.1...2, probability: 0.5),
        ]))
    }

    /// BYOL (lightly `BYOLView1Transform` / `BYOLView2Transform`), also used for Barlow
    /// Twins as lightly does: crop scale 0.08–1, flip, jitter (0.4, 0.4, 0.2, 0.1) p 0.8,
    /// grayscale p 0.2, then asymmetric views: blur p 1.0 / 0.1 (3-tap, σ 0.1–2) and
    /// solarize (threshold 0.5) p 0.0 / 0.2. Jitter as lightly (already moderate).
    public static func byol(imageSize: Int = 32, minScale: Float = 0.08) -> ViewPipelines {
        func view(blur: Float, solarize: Float) -> Pipeline {
            Pipeline([
                RandomResizedCrop(size: imageSize, scale: minScale...1),
                HorizontalFlip(probability: 0.5),
                ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, probability: 0.8),
                RandomGrayscale(probability: 0.2),
                GaussianBlur(kernelSize: 3, sigma: 0.1...2, probability: blur),
                RandomSolarize(threshold: 0.5, probability: solarize),
            ])
        }
        return ViewPipelines(first: view(blur: 1.0, solarize: 0.0), second: view(blur: 0.1, solarize: 0.2))
    }

    /// VICReg (lightly `VICRegTransform`, the same for both views): crop scale 0.08–1,
    /// flip, jitter strength 0.5 of (0.8, 0.8, 0.4, 0.2) = (0.4, 0.4, 0.2, 0.1) p 0.8,
    /// grayscale p 0.2, solarize p 0.1, blur p 0.5 (3-tap, σ 0.2–2).
    public static func vicreg(imageSize: Int = 32, minScale: Float = 0.08) -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomResizedCrop(size: imageSize, scale: minScale...1),
            HorizontalFlip(probability: 0.5),
            ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, probability: 0.8),
            RandomGrayscale(probability: 0.2),
            RandomSolarize(threshold: 0.5, probability: 0.1),
            GaussianBlur(kernelSize: 3, sigma: 0.2...2, probability: 0.5),
        ]))
    }

    /// Crop only: the SimCLR crop (scale `minScale`–1) and horizontal flip, no colour.
    /// (The pilot's "crop" arm: with it SimCLR learns the colour shortcut.)
    public static func cropOnly(imageSize: Int = 32, minScale: Float = 0.08) -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomResizedCrop(size: imageSize, scale: minScale...1),
            HorizontalFlip(probability: 0.5),
        ]))
    }

    /// Colour only: SimCLR's CIFAR colour jitter (0.4, 0.4, 0.4, 0.1) p 0.8 and grayscale
    /// p 0.2; the geometry is untouched.
    public static func colorOnly() -> ViewPipelines {
        ViewPipelines(Pipeline([
            ColorJitter(strength: 0.5, probability: 0.8),
            RandomGrayscale(probability: 0.2),
        ]))
    }

    /// For 8×8 digits, as a PyTorch pilot at this scale found to work: a small random affine map (rotation ±15°, translation
    /// ±1 px, scale 0.9–1.1, bilinear, background 0) then Gaussian noise σ 0.1, left
    /// unclipped as the pilot's x + σ·ε (clipping would bias the many zero pixels upward).
    public static func digits() -> ViewPipelines {
        ViewPipelines(Pipeline([
            RandomAffine(degrees: 15, maxShift: 1, scale: 0.9...1.1),
            GaussianNoise(std: 0.1, clip: false),
        ]))
    }
}
