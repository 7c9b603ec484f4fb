import TensorCore

/// Projector and predictor heads of the SSL papers, scaled down for toy data. Each is an
/// `mlp`-style `Sequential`; the defaults suit the 128-dimensional encoders of the lab
/// (pilot: digits MLP 64→128→128, shapes conv encoder → 128).

/// SimCLR's projector g(·) (Chen et al., 2020): Linear, BatchNorm1d, ReLU, Linear.
/// Paper: 2048→2048→128; here 128→128→64 by default (the pilot's set-up).
public func simclrProjector(inFeatures: Int = 128, hidden: Int = 128, outFeatures: Int = 64,
                            rng: inout RandomGenerator) -> Sequential {
    mlp([inFeatures, hidden, outFeatures], batchNorm: true, rng: &rng)
}

/// BYOL's projector (Grill et al., 2020): Linear, BatchNorm1d, ReLU, Linear.
/// Paper: 2048→4096→256; here 128→256→64 by default.
public func byolProjector(inFeatures: Int = 128, hidden: Int = 256, outFeatures: Int = 64,
                          rng: inout RandomGenerator) -> Sequential {
    mlp([inFeatures, hidden, outFeatures], batchNorm: true, rng: &rng)
}

/// The predictor q(·) of BYOL and SimSiam: Linear, BatchNorm1d, ReLU, Linear, from
/// `features` back to `features`. SimSiam's is a bottleneck (2048→512→2048, a quarter);
/// BYOL's widens (256→4096→256). Default here: the SimSiam bottleneck 64→16→64.
public func predictor(features: Int = 64, hidden: Int = 16, rng: inout RandomGenerator) -> Sequential {
    mlp([features, hidden, features], batchNorm: true, rng: &rng)
}

/// SimSiam's projector (Chen & He, 2021): three Linears, each followed by BatchNorm1d,
/// ReLU after the first two, and no affine parameters in the last BatchNorm.
/// Paper: 2048→2048→2048→2048; here 128→128→128→64 by default.
public func simsiamProjector(inFeatures: Int = 128, hidden: Int = 128, outFeatures: Int = 64,
                             rng: inout RandomGenerator) -> Sequential {
    let net = mlp([inFeatures, hidden, hidden, outFeatures], batchNorm: true, rng: &rng)
    net.append(BatchNorm1d(outFeatures, affine: false))
    return net
}

/// NNCLR's projector (Dwibedi et al., 2021; lightly's `NNCLRProjectionHead`): three
/// Linears, each followed by BatchNorm1d, ReLU after the first two.
/// Paper: 2048→2048→2048→256; here 128→128→128→64 by default.
public func nnclrProjector(inFeatures: Int = 128, hidden: Int = 128, outFeatures: Int = 64,
                           rng: inout RandomGenerator) -> Sequential {
    let net = mlp([inFeatures, hidden, hidden, outFeatures], batchNorm: true, rng: &rng)
    net.append(BatchNorm1d(outFeatures))
    return net
}

/// The expander of Barlow Twins (Zbontar et al., 2021) and VICReg (Bardes et al., 2022):
/// three Linears with BatchNorm1d and ReLU between them. Papers: 2048→8192→8192→8192;
/// here 128→128→128→128 by default (the pilot's "→128").
public func expander(inFeatures: Int = 128, width: Int = 128, rng: inout RandomGenerator) -> Sequential {
    mlp([inFeatures, width, width, width], batchNorm: true, rng: &rng)
}
