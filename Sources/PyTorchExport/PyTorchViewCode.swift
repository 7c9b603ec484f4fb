import SelfSupervised

/// The lab's view pipelines written as torchvision v2 transforms with the same parameters.
///
/// Each step maps to its torchvision counterpart (the lab's augmentations are written after
/// them; see their doc comments); a step with probability p < 1 that torchvision applies
/// always is wrapped in `v2.RandomApply([...], p)`. The random numbers differ (torch's
/// generator, not the lab's), so the views are the same distribution, not the same images;
/// parity checks use `views: "none"`. Known differences: torchvision's `RandomAffine`
/// shifts by whole pixels (the lab by fractional ones), and `RandomRotation90` has no
/// torchvision transform (a four-line class in the script).
enum PyTorchViewCode {
    /// `v2.Compose([...])`, or `None` for the identity pipeline.
    static func pipeline(_ pipeline: Pipeline, height: Int, width: Int) throws -> String {
        let active = pipeline.steps.filter { $0.probability > 0 }
        guard !active.isEmpty else { return "None" }
        let steps = try active.map { "    " + (try step($0, height: height, width: width)) + ",\n" }
        return "v2.Compose([\n" + steps.joined() + "])"
    }

    static func range(_ r: ClosedRange<Float>) -> String { "(\(python(r.lowerBound)), \(python(r.upperBound)))" }

    /// One step; probability 1 needs no wrapper.
    static func step(_ step: any Augmentation, height: Int, width: Int) throws -> String {
        func sometimes(_ code: String) -> String {
            step.probability >= 1 ? code : "v2.RandomApply([\(code)], p=\(python(step.probability)))"
        }
        switch step {
        case let s as RandomResizedCrop:
            return sometimes("v2.RandomResizedCrop(\(s.size), scale=\(range(s.scale)), ratio=\(range(s.ratio)), antialias=True)")
        case let s as HorizontalFlip: return "v2.RandomHorizontalFlip(p=\(python(s.probability)))"
        case let s as VerticalFlip: return "v2.RandomVerticalFlip(p=\(python(s.probability)))"
        case is RandomRotation90: return sometimes("RandomRotation90()")
        case let s as RandomRotation:
            return sometimes("v2.RandomRotation(\(range(s.degrees)), interpolation=v2.InterpolationMode.BILINEAR, fill=\(python(s.fill)))")
        case let s as RandomAffine:
            let translate = "(\(python(s.maxShift / Float(max(width, 1)))), \(python(s.maxShift / Float(max(height, 1)))))"
            return sometimes("v2.RandomAffine(degrees=\(python(s.degrees)), translate=\(translate), scale=\(range(s.scale)), "
                             + "interpolation=v2.InterpolationMode.BILINEAR, fill=\(python(s.fill)))")
        case let s as RandomTranslation:
            let translate = "(\(python(Float(s.maxShift) / Float(max(width, 1)))), \(python(Float(s.maxShift) / Float(max(height, 1)))))"
            return sometimes("v2.RandomAffine(degrees=0.0, translate=\(translate), fill=\(python(s.fill)))")
        case let s as ColorJitter:
            return sometimes("v2.ColorJitter(brightness=\(python(s.brightness)), contrast=\(python(s.contrast)), "
                             + "saturation=\(python(s.saturation)), hue=\(python(s.hue)))")
        case let s as RandomGrayscale: return "v2.RandomGrayscale(p=\(python(s.probability)))"
        case let s as RandomSolarize: return "v2.RandomSolarize(threshold=\(python(s.threshold)), p=\(python(s.probability)))"
        case let s as GaussianBlur:
            return sometimes("v2.GaussianBlur(\(s.kernelSize), sigma=\(range(s.sigma)))")
        case let s as GaussianNoise:
            return sometimes("v2.GaussianNoise(mean=0.0, sigma=\(python(s.std)), clip=\(python(s.clip)))")
        case let s as RandomErasing:
            return "v2.RandomErasing(p=\(python(s.probability)), scale=\(range(s.scale)), ratio=\(range(s.ratio)), value=\(python(s.value)))"
        default:
            throw PyTorchExportError(.unsupported, subject: "views",
                                     "export_pytorch: the augmentation \(type(of: step)) has no torchvision counterpart in the exporter")
        }
    }
}
