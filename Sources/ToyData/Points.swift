import TensorCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Isotropic Gaussian clusters in the plane (as scikit-learn's `make_blobs`).
///
/// `classes` centres are drawn uniformly from the box [−10, 10]²; sample i belongs to class
/// i mod `classes` (so classes are balanced) and is its centre plus N(0, std²) noise on
/// each axis. Inputs `[count, 2]`, labels the cluster index; `center_x`/`center_y`
/// attributes give each sample's cluster centre.
public func blobs(count: Int = 300, classes: Int = 3, std: Float = 1.0, seed: UInt64 = 0) throws -> Dataset {
    guard count >= 0 else { throw ToyDataError.argument(op: "blobs", template: "count {count} must not be negative",
        values: ["count": "\(count)"]) }
    guard classes >= 1 else { throw ToyDataError.argument(op: "blobs", template: "classes {classes} must be at least 1",
        values: ["classes": "\(classes)"]) }
    guard std >= 0 else { throw ToyDataError.argument(op: "blobs", template: "std {std} must not be negative", values: ["std": "\(std)"]) }
    var rng = RandomGenerator(seed: seed)
    let centres = (0..<classes).map { _ in (rng.nextFloat(in: -10, 10), rng.nextFloat(in: -10, 10)) }
    var data = [Float](), labels = [Int]()
    data.reserveCapacity(2 * count)
    for i in 0..<count {
        let c = i % classes
        data.append(centres[c].0 + std * rng.nextNormal())
        data.append(centres[c].1 + std * rng.nextNormal())
        labels.append(c)
    }
    return Dataset(name: "blobs", inputs: Tensor(shape: [count, 2], data: data), labels: labels,
                   classNames: (0..<classes).map { "blob \($0)" },
                   attributes: ["center_x": labels.map { centres[$0].0 }, "center_y": labels.map { centres[$0].1 }],
                   seed: seed)
}

/// Two interleaving half circles (as scikit-learn's `make_moons`).
///
/// Class 0 (upper moon): (cos t, sin t); class 1 (lower moon): (1 − cos t, 0.5 − sin t);
/// t evenly spaced in [0, π] within each moon (⌈count/2⌉ and ⌊count/2⌋ points), plus
/// N(0, noise²) on each coordinate; rows are then shuffled from `seed`.
public func moons(count: Int = 300, noise: Float = 0.1, seed: UInt64 = 0) throws -> Dataset {
    guard count >= 0 else { throw ToyDataError.argument(op: "moons", template: "count {count} must not be negative",
        values: ["count": "\(count)"]) }
    guard noise >= 0 else { throw ToyDataError.argument(op: "moons", template: "noise {noise} must not be negative",
        values: ["noise": "\(noise)"]) }
    var rng = RandomGenerator(seed: seed)
    let outer = (count + 1) / 2, inner = count / 2
    var points: [(Float, Float, Int)] = []
    func spaced(_ k: Int, _ n: Int) -> Float { n > 1 ? Float.pi * Float(k) / Float(n - 1) : 0 }
    for k in 0..<outer { let t = spaced(k, outer); points.append((cos(t), sin(t), 0)) }
    for k in 0..<inner { let t = spaced(k, inner); points.append((1 - cos(t), 0.5 - sin(t), 1)) }
    let order = rng.permutation(count)
    var data = [Float](), labels = [Int]()
    for i in order {
        data.append(points[i].0 + noise * rng.nextNormal())
        data.append(points[i].1 + noise * rng.nextNormal())
        labels.append(points[i].2)
    }
    return Dataset(name: "moons", inputs: Tensor(shape: [count, 2], data: data), labels: labels,
                   classNames: ["upper", "lower"], seed: seed)
}
