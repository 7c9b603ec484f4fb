import Dispatch
import SelfSupervised
import TensorCore

/// The `augment-simclr` benchmark workload, as `Bench/torch_peer.py` defines it:
/// two SimCLR views of a batch of 256 random RGB 32×32 images (uniform in [0, 1)) through
/// resized crop (scale 0.2–1, ratio 3/4–4/3) → horizontal flip p 0.5 → colour jitter
/// (0.4, 0.4, 0.4, 0.1) p 0.8 → grayscale p 0.2 → Gaussian blur (kernel 3, σ 0.1–2) p 0.5.
/// Two warm-up passes, then the mean wall-clock time of 5 passes, in milliseconds per
/// batch (both views), on `threads` threads.
public func augmentSimCLRMilliseconds(threads: Int) -> Double {
    let pipeline = ViewPipelines(Pipeline([
        RandomResizedCrop(size: 32, scale: 0.2...1),
        HorizontalFlip(probability: 0.5),
        ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, probability: 0.8),
        RandomGrayscale(probability: 0.2),
        GaussianBlur(kernelSize: 3, sigma: 0.1...2, probability: 0.5),
    ]))
    var rng = RandomGenerator(seed: 0)
    let count = 256 * 3 * 32 * 32
    let images = Tensor(shape: [256, 3, 32, 32], data: (0..<count).map { _ in rng.nextFloat() })
    var checksum: Float = 0
    func pass() {
        // The pipeline is fixed and the batch is valid, so `views` cannot throw here.
        if let (a, b) = try? pipeline.views(of: images, using: &rng, threads: max(1, threads)) {
            checksum += a.data[0] + b.data[0]
        }
    }
    for _ in 0..<2 { pass() }
    let reps = 5
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<reps { pass() }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    precondition(checksum.isFinite, "augment-simclr produced a non-finite value")
    return Double(elapsed) / Double(reps) / 1e6
}

extension BenchWorkload {
    /// `augment-simclr`: two SimCLR views of 256 RGB 32×32 images, ms per batch (the peer's line).
    static let augmentSimCLR = BenchWorkload(name: "augment-simclr",
                                             summary: "two SimCLR views of 256 RGB 32×32 images") { _ in
        [BenchLine(name: "augment-simclr", value: augmentSimCLRMilliseconds(threads: computeThreads()), unit: "ms")]
    }
}
