import TensorCore

/// PyTorch's default initialisation of `nn.Linear` and `nn.Conv2d` weights and biases.
///
/// The weight uses `kaiming_uniform_(w, a=√5)`: U(−b, b) with
/// b = gain·√(3/fan_in) and gain = √(2/(1 + a²)) = √(1/3), so b = 1/√fan_in.
/// The bias is U(−1/√fan_in, 1/√fan_in) too. fan_in is the number of inputs that feed
/// one output: `in` for a linear layer, C·kh·kw for a convolution.
///
/// The values come from our own `RandomGenerator`, so they differ from PyTorch's for the
/// same seed; only the distribution is the same.
func uniformInit(_ shape: [Int], fanIn: Int, using rng: inout RandomGenerator) -> Tensor {
    let bound = 1 / Float(Swift.max(fanIn, 1)).squareRoot()
    let t = Tensor.rand(shape, low: -bound, high: bound, using: &rng)
    t.requiresGrad = true
    return t
}
