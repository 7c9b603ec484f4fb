import TensorCore

extension BenchWorkload {
    /// The fixed cost of one small elementwise op (allocation, graph bookkeeping), in µs,
    /// with and without a gradient being recorded, plus a large add for bandwidth.
    static let elementwiseOverhead = BenchWorkload(name: "overhead", summary: "per-op cost of a small elementwise op") { _ in
        var rng = RandomGenerator(seed: 1)
        let x = Tensor.randn([16], using: &rng), y = Tensor.randn([16], using: &rng)
        let p = Tensor.randn([16], using: &rng)
        p.requiresGrad = true
        let noGrad = try secondsPerCall { _ = try x + y }
        let withGrad = try secondsPerCall { _ = try p * y }
        let big = Tensor.randn([256, 256], using: &rng), big2 = Tensor.randn([256, 256], using: &rng)
        let bias = Tensor.randn([256], using: &rng)
        let bigAdd = try secondsPerCall { _ = try big + big2 }
        let biasAdd = try secondsPerCall { _ = try big + bias }
        return [
            BenchLine(name: "add-16", value: noGrad * 1e6, unit: "µs/op"),
            BenchLine(name: "mul-16-grad", value: withGrad * 1e6, unit: "µs/op", note: "records the graph"),
            BenchLine(name: "add-256x256", value: bigAdd * 1e6, unit: "µs/op"),
            BenchLine(name: "bias-add-256x256", value: biasAdd * 1e6, unit: "µs/op", note: "[256,256] + [256]"),
        ]
    }
}
