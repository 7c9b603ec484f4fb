import LabSupport
import NeuralNet
import TensorCore
import ToyData

/// The set-up policy: what an `Experiment` (and so `train`, `compare` and the PyTorch
/// export) chooses for what the caller left unset. Every rule reads the data's shape,
/// never its name:
///
/// - points [N, d]: no image augmentations; they travel as d-channel 1×1 images whose two
///   views add Gaussian noise (`pointsAsImages`), flattened back before the encoder;
/// - single-channel 8×8 images [N, 1, 8, 8] (the UCI digits and anything shaped like
///   them): the `digits` pipelines (small affine map and noise), whatever the method;
/// - other images [N, C, H, W]: the method's own pipeline (`TrainingMethod.views`) at
///   size W with a minimum crop scale of 0.35;
/// - an encoder whose first layer is Linear gets images flattened (`needsFlattening`);
/// - default heads are sized to the encoder's output for one sample (`featureCount`);
/// - `compare`'s default encoder (`defaultEncoder`): an MLP for points and for small
///   single-channel images (at most 256 pixels), a small convnet for other images.
extension Experiment {
    /// Whether `data` is shaped like the 8×8 single-channel digits.
    public static func hasDigitsShape(_ data: Dataset) -> Bool {
        data.inputs.rank == 4 && Array(data.inputs.shape[1...]) == [1, 8, 8]
    }

    /// The views of `method` on `data` when none are given: the digits pipelines for
    /// single-channel 8×8 images, else the method's own pipeline sized to the images; nil
    /// for data that are not images (points get theirs from `pointsAsImages`).
    public static func defaultViews(for data: Dataset, method: String) throws -> ViewPipelines? {
        guard data.inputs.rank == 4 else { return nil }
        if hasDigitsShape(data) { return ViewPipelines.digits() }
        return try ViewPipelines.named(TrainingMethods.named(method)?.views ?? "simclr", imageSize: data.inputs.shape[3], minScale: 0.35)
    }

    /// Points [N, d] have no image augmentations; their two views add Gaussian noise of
    /// std 0.1 × the data's std to each coordinate (without it both views would be equal
    /// and every joint-embedding loss trivially satisfied). The loop's pipelines work on
    /// images, so the points travel as d-channel 1×1 images and are flattened back.
    public static func pointsAsImages(_ data: Dataset) -> (Dataset, ViewPipelines) {
        let n = data.count, d = data.inputs.count / max(n, 1)
        let values = data.inputs.data.map(Double.init)
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        let spread = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count, 1))).squareRoot()
        let noise = GaussianNoise(std: Float(0.1 * max(spread, 1e-3)), clip: false, probability: 1)
        let images = Dataset(name: data.name, inputs: Tensor(shape: [n, d, 1, 1], data: data.inputs.data), labels: data.labels,
                             classNames: data.classNames, attributes: data.attributes, boxes: data.boxes, seed: data.seed)
        return (images, ViewPipelines(Pipeline([noise])))
    }

    /// Whether the encoder starts with a Linear layer and the inputs are images.
    public static func needsFlattening(_ encoder: Module, data: Dataset) -> Bool {
        var first = encoder
        while let child = first.children.first?.module { first = child }
        return first is Linear && data.inputs.rank > 2
    }

    /// The size of the encoder's output for one sample of the data: one forward pass of two
    /// samples, through `sampleFeatures` if given, else in eval mode without a graph (the
    /// mode is restored; images are flattened for an encoder that starts with Linear).
    public static func featureCount(of encoder: Module, on data: Dataset,
                                    sampleFeatures: ((Module, Tensor) throws -> Tensor)? = nil) throws -> Int {
        guard data.count >= 2 else {
            throw ExperimentError.invalid(parameter: nil, Messages.text("needs at least 2 samples, the data set has {count}", ["count": String(data.count)]))
        }
        let x = try data.selecting([0, 1]).inputs
        let z: Tensor
        if let sampleFeatures {
            z = try sampleFeatures(encoder, x)
        } else {
            let wasTraining = encoder.isTraining
            encoder.eval()
            defer { encoder.setTraining(wasTraining) }
            let input = needsFlattening(encoder, data: data) ? try flatten(x, startAxis: 1) : x
            z = try withNoGrad { try encoder(input) }
        }
        guard z.rank == 2 else {
            throw ExperimentError.invalid(parameter: nil, Messages.text("the encoder must output [N, features], it gives {shape}",
                                                                        ["shape": formatShape(z.shape)]))
        }
        return z.shape[1]
    }

    /// `compare`'s encoder for `data` when the script gives none, initialised from `rng`:
    /// MLP d→64→32 for points, MLP (C·H·W)→128→128 for single-channel images of at most 256
    /// pixels, else a convnet of widths 16, 32, 64.
    public static func defaultEncoder(for data: Dataset, using rng: inout RandomGenerator) -> Module {
        let shape = data.inputs.shape
        if shape.count == 2 {
            return mlp([shape[1], 64, 32], batchNorm: true, lastActivation: false, rng: &rng)
        } else if shape.count == 4 && shape[1] == 1 && shape[2] * shape[3] <= 256 {
            return mlp([shape[1...].reduce(1, *), 128, 128], batchNorm: true, lastActivation: false, rng: &rng)
        }
        return convnet(widths: [16, 32, 64], inChannels: shape.count == 4 ? shape[1] : 1, rng: &rng)
    }
}
