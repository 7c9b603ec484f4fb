import LabScript
import LabSupport
import SelfSupervised
import TensorCore

/// Image augmentations and the two views of a joint-embedding method. Each augmentation
/// builtin makes a one-step pipeline; `compose` chains them; `pipeline(name)` gives a
/// method's named pipelines; `views(p, x)` and `augment(p, x)` apply them with the
/// session generator.
extension Builtins {
    static func augmentations(_ state: BuiltinState) -> BuiltinGroup {
        func one(_ step: any Augmentation, _ name: String) -> Value {
            .host(PipelineValue(ViewPipelines(Pipeline([step])), name: name))
        }
        func probability(_ args: BoundArguments) throws -> Float {
            let p = try args.number("probability")
            guard p >= 0, p <= 1 else {
                throw RuntimeError(.argument, Messages.text("{function}: probability must lie in [0, 1], got {value}", ["function": args.functionName, "value": Value.format(p)]), at: args.range(of: "probability"))
            }
            return Float(p)
        }
        /// `[low, high]` from the script as a closed range (low ≤ high, both finite).
        func interval(_ args: BoundArguments, _ name: String, _ context: CallContext) throws -> ClosedRange<Float> {
            let pair = try TensorConversion.tensor(from: args[name], context: context, what: args.functionName).data
            guard pair.count == 2, pair[0].isFinite, pair[1].isFinite, pair[0] <= pair[1] else {
                throw RuntimeError(.argument, Messages.text("{function}: {name} must be [low, high] with low ≤ high", ["function": args.functionName, "name": name]), at: args.range(of: name))
            }
            return pair[0]...pair[1]
        }
        func pipeline(_ args: BoundArguments, _ name: String = "pipeline") throws -> PipelineValue {
            guard case .host(let object as PipelineValue) = args[name] else { throw args.typeError(name, expected: "a pipeline") }
            return object
        }
        func p(_ value: Double) -> Parameter { Parameter("probability", default: .number(value), documentation: "chance the step is applied to an image") }
        let x = Parameter("x", documentation: "images [N, C, H, W]")
        return BuiltinGroup("Augmentations", [
            builtin("pipeline", [Parameter("name", documentation: ViewPipelines.names.map { "\"\($0)\"" }.joined(separator: ", ")),
                                 Parameter("image_size", default: .number(32)), Parameter("min_scale", default: .nilValue, documentation: "smallest crop area fraction")],
                    summary: "The view pipelines of an SSL method, after lightly's transforms, scaled for small images.",
                    details: "\"simclr\": crop, flip, colour jitter, grayscale. \"byol\"/\"barlow\": the two views differ in blur and solarization. \"crop-only\" and \"color-only\" isolate one family.",
                    example: "p = pipeline(\"simclr\", image_size: 16)\nprint(p)", lesson: LessonNumber.augmentations) { args, context in
                let name = try args.string("name")
                let minScale = try args.optionalNumber("min_scale").map(Float.init)
                return .host(PipelineValue(try ViewPipelines.named(name, imageSize: try args.count("image_size", atLeast: 1), minScale: minScale), name: name))
            },
            builtin("compose", [.variadic("steps", documentation: "pipelines or augmentations, applied in order")],
                    summary: "One pipeline applying the steps in order (torchvision's Compose); view by view for two-view pipelines.",
                    example: "p = compose(random_resized_crop(16), horizontal_flip())\nprint(p.steps)   # 2", lesson: LessonNumber.augmentations) { args, context in
                var first: [any Augmentation] = [], second: [any Augmentation] = []
                var items = args.variadic
                if items.count == 1, case .list(let inner) = items[0] { items = inner }
                for item in items {
                    guard case .host(let object as PipelineValue) = item else {
                        throw context.error(Messages.text("compose: expected pipelines or augmentations, got {type}", ["type": item.typeName]))
                    }
                    first += object.pipelines.first.steps
                    second += object.pipelines.second.steps
                }
                return .host(PipelineValue(ViewPipelines(first: Pipeline(first), second: Pipeline(second)), name: "composed"))
            },
            builtin("random_resized_crop", [Parameter.count("size", in: 1...BoundArguments.maxCount, documentation: "output side in pixels"), Parameter("scale", default: .list([.number(0.08), .number(1)]), documentation: "[low, high] area fraction"),
                                            Parameter("ratio", default: .list([.number(0.75), .number(4.0 / 3)]), documentation: "[low, high] aspect ratio"), p(1)],
                    summary: "A random crop (area fraction in scale, aspect in ratio) resized to size × size.",
                    example: "print(augment(random_resized_crop(8), rand(2, 3, 16, 16)).shape)   # [2, 3, 8, 8]", lesson: LessonNumber.augmentations) { args, context in
                one(RandomResizedCrop(size: try args.count("size"), scale: try interval(args, "scale", context),
                                      ratio: try interval(args, "ratio", context), probability: try probability(args)), "random_resized_crop")
            },
            builtin("horizontal_flip", [p(0.5)], summary: "Mirrors the image left to right.",
                    example: "print(horizontal_flip(probability: 1))", lesson: LessonNumber.augmentations) { args, _ in
                one(HorizontalFlip(probability: try probability(args)), "horizontal_flip")
            },
            builtin("vertical_flip", [p(0.5)], summary: "Mirrors the image top to bottom.",
                    example: "print(vertical_flip())", lesson: LessonNumber.augmentations) { args, _ in
                one(VerticalFlip(probability: try probability(args)), "vertical_flip")
            },
            builtin("color_jitter", [Parameter("strength", default: .number(0.5), documentation: "brightness, contrast, saturation 0.8·s; hue 0.2·s"), p(0.8),
                                     Parameter("brightness", default: .nilValue, documentation: "factor in [1 − b, 1 + b]; nil: 0.8·strength"),
                                     Parameter("contrast", default: .nilValue, documentation: "factor in [1 − c, 1 + c]; nil: 0.8·strength"),
                                     Parameter("saturation", default: .nilValue, documentation: "factor in [1 − s, 1 + s]; nil: 0.8·strength"),
                                     Parameter("hue", default: .nilValue, documentation: "shift in [−h, h] turns, h ≤ 0.5 (0.5: any hue); nil: 0.2·strength")],
                    summary: "Random changes of brightness, contrast, saturation and hue (lightly's convention for strength; each can be set on its own).",
                    example: "print(color_jitter(brightness: 0.4, contrast: 0.4, saturation: 0.6, hue: 0.5))", lesson: LessonNumber.augmentations) { args, context in
                let strength = try args.float("strength")
                guard strength >= 0, strength <= 2.5 else { throw context.error(Messages.text("color_jitter: strength must lie in [0, 2.5]")) }
                let base = ColorJitter(strength: strength)
                func amount(_ name: String, _ fallback: Float, upTo limit: Double) throws -> Float {
                    guard let v = try args.optionalNumber(name) else { return fallback }
                    guard v >= 0, v <= limit else {
                        throw RuntimeError(.argument, Messages.text("color_jitter: {name} must lie in [0, {limit}], got {value}", ["name": name, "limit": Value.format(limit), "value": Value.format(v)]), at: args.range(of: name))
                    }
                    return Float(v)
                }
                let jitter = ColorJitter(brightness: try amount("brightness", base.brightness, upTo: 2), contrast: try amount("contrast", base.contrast, upTo: 2),
                                         saturation: try amount("saturation", base.saturation, upTo: 2), hue: try amount("hue", base.hue, upTo: 0.5),
                                         probability: try probability(args))
                return one(jitter, "color_jitter")
            },
            builtin("grayscale", [p(0.2)], summary: "Turns the image grey (the same luminance in every channel).",
                    example: "print(grayscale(probability: 1))", lesson: LessonNumber.augmentations) { args, _ in
                one(RandomGrayscale(probability: try probability(args)), "grayscale")
            },
            builtin("gaussian_blur", [Parameter("kernel_size", default: .number(3)), Parameter("sigma", default: .list([.number(0.1), .number(2)]), documentation: "[low, high]"), p(0.5)],
                    summary: "Blurs with a Gaussian kernel of random width sigma.",
                    example: "print(gaussian_blur(kernel_size: 3))", lesson: LessonNumber.augmentations) { args, context in
                one(GaussianBlur(kernelSize: try args.count("kernel_size", atLeast: 1), sigma: try interval(args, "sigma", context), probability: try probability(args)), "gaussian_blur")
            },
            builtin("solarize", [Parameter("threshold", default: .number(0.5)), p(0.2)], summary: "Inverts the pixels above threshold (BYOL's second view).",
                    example: "print(solarize())", lesson: LessonNumber.augmentations) { args, _ in
                one(RandomSolarize(threshold: try args.float("threshold"), probability: try probability(args)), "solarize")
            },
            builtin("gaussian_noise", [Parameter("std", default: .number(0.1)), p(1)], summary: "Adds Gaussian noise of the given std (clipped to [0, 1]).",
                    example: "print(gaussian_noise(std: 0.05))", lesson: LessonNumber.augmentations) { args, _ in
                one(GaussianNoise(std: try args.float("std"), probability: try probability(args)), "gaussian_noise")
            },
            builtin("random_erasing", [Parameter("scale", default: .list([.number(0.02), .number(0.33)])), p(0.5)],
                    summary: "Blanks out a random rectangle (area fraction in scale).",
                    example: "print(random_erasing())", lesson: LessonNumber.augmentations) { args, context in
                one(RandomErasing(scale: try interval(args, "scale", context), probability: try probability(args)), "random_erasing")
            },
            builtin("random_rotation", [Parameter("degrees", default: .number(30), documentation: "rotations up to ± degrees"), p(1)],
                    summary: "Rotates by a random angle in [−degrees, degrees].",
                    example: "print(random_rotation(degrees: 15))", lesson: LessonNumber.augmentations) { args, context in
                let d = try args.float("degrees")
                guard d >= 0, d <= 360 else { throw context.error(Messages.text("random_rotation: degrees must lie in [0, 360]")) }
                return one(RandomRotation(degrees: -d...d, probability: try probability(args)), "random_rotation")
            },
            builtin("random_translation", [Parameter("max_shift", documentation: "pixels"), p(1)],
                    summary: "Shifts the image by up to max_shift pixels in each direction (filling with 0).",
                    example: "print(random_translation(2))", lesson: LessonNumber.augmentations) { args, _ in
                one(RandomTranslation(maxShift: try args.count("max_shift"), probability: try probability(args)), "random_translation")
            },
            builtin("patch_mask", [Parameter("patch_size"), Parameter("mask_ratio", default: .number(0.5)), p(1)],
                    summary: "Blanks a random mask_ratio of the patch_size × patch_size patches (masked image modelling).",
                    example: "print(augment(patch_mask(4), rand(1, 3, 8, 8)).shape)", lesson: LessonNumber.masked) { args, context in
                let ratio = try args.float("mask_ratio")
                guard ratio >= 0, ratio <= 1 else { throw context.error(Messages.text("patch_mask: mask_ratio must lie in [0, 1]")) }
                return one(PatchMasking(patchSize: try args.count("patch_size", atLeast: 1), maskRatio: ratio, probability: try probability(args)), "patch_mask")
            },
            builtin("augment", [Parameter("pipeline"), x], summary: "One augmented view of every image (the pipeline's first view), from the session generator.",
                    example: "v = augment(horizontal_flip(probability: 1), rand(2, 3, 8, 8))\nprint(v.shape)   # [2, 3, 8, 8]", lesson: LessonNumber.augmentations) { args, context in
                let chosen = try pipeline(args).pipelines.first
                let batch = try args.tensor("x", context)
                try PipelineValue.checkOutput(chosen, batch, context: context)
                return state.wrap(try chosen.apply(to: batch, using: &state.rng))
            },
            builtin("views", [Parameter("pipeline"), x], summary: "Two augmented views [v1, v2] of every image: the positive pairs of a joint-embedding method.",
                    details: "The first view uses the session generator as it is, the second continues from there; seed(n) fixes both.",
                    example: "v = views(pipeline(\"simclr\", image_size: 16), rand(4, 3, 16, 16))\nprint(v[0].shape, v[1].shape)", lesson: LessonNumber.augmentations) { args, context in
                let pipelines = try pipeline(args).pipelines
                let batch = try args.tensor("x", context)
                try PipelineValue.checkOutput(pipelines.first, batch, context: context)
                try PipelineValue.checkOutput(pipelines.second, batch, context: context)
                let (a, b) = try pipelines.views(of: batch, using: &state.rng)
                return .list([state.wrap(a), state.wrap(b)])
            },
        ])
    }
}
