import TensorCore

/// The classes of the `shapes` data set, in label order.
public enum ShapeKind: Int, CaseIterable, Sendable {
    case circle, square, triangle, cross, ring
    public var name: String { String(describing: self) }
}

/// The background behind the shapes.
public enum ShapesBackground: String, CaseIterable, Sendable {
    /// Flat grey (0.45 in every channel): the default, and what a PyTorch pilot found works.
    case plain
    /// A random sinusoidal stripe pattern per image (random frequency, orientation, phase
    /// and per-channel amplitude). SimCLR then tends to match images by texture rather than
    /// shape (in a PyTorch pilot, probe accuracy 0.46 against 0.61 on the plain
    /// background): a lesson in itself.
    case textured
}

/// The colours of the `shapes` palette, indexed by the `color` attribute.
public let shapesPalette: [(name: String, rgb: (Float, Float, Float))] = [
    ("red", (0.90, 0.15, 0.15)), ("green", (0.15, 0.80, 0.20)), ("blue", (0.20, 0.30, 0.95)),
    ("yellow", (0.95, 0.85, 0.10)), ("magenta", (0.85, 0.20, 0.85)), ("cyan", (0.10, 0.85, 0.90)),
]

/// Procedural RGB images of five shape classes (circle, square, triangle, cross, ring).
///
/// Each image (`[3, size, size]`, values in [0, 1]) holds one shape whose parameters are
/// drawn independently per sample:
/// - class: exactly balanced (sample `i` has class `p[i] mod 5` for a random permutation p);
/// - colour: one of the 6 `shapesPalette` colours times a brightness factor in [0.7, 1];
/// - size: radius r uniform in [3/16, 5/16]·size (3–5 px at 16×16, as in the pilot);
///   circle radius r, ring radii 0.55r–r, square half-side 0.75r, triangle (equilateral)
///   circumradius 1.05r, cross arms 0.95r long and 0.3r half-wide;
/// - centre: uniform in [1.1r, size − 1.1r] on both axes, so the shape lies inside;
/// - rotation: uniform in [0, 2π) radians (circle and ring look the same at any angle;
///   square and cross repeat every π/2, triangle every 2π/3).
/// Edges are anti-aliased by 4×4 supersampling: a pixel's value is the background blended
/// with the colour by the fraction of its 16 sub-samples that fall inside the shape.
///
/// Attributes (`Dataset.attributes`): `color` (palette index), `brightness`, `size` (r in
/// pixels), `center_x`, `center_y` (pixels, x to the right, y down, pixel centres at
/// k + 0.5), `rotation` (radians). `boxes` is the tight box of the pixels the shape touches.
///
/// Sample i depends only on (`seed`, i), and rendering runs in parallel over `threads`.
public func shapes(count: Int = 1000, size: Int = 32, background: ShapesBackground = .plain,
                   seed: UInt64 = 0, threads: Int? = nil) throws -> Dataset {
    guard count >= 0 else {
        throw ToyDataError.argument(op: "shapes", template: "count {count} must not be negative", values: ["count": "\(count)"])
    }
    guard size >= 8, size <= 512 else {
        throw ToyDataError.argument(op: "shapes", template: "image size {size} must lie in 8...512", values: ["size": "\(size)"])
    }
    let kinds = ShapeKind.allCases.count
    var rng = RandomGenerator(seed: seed)
    let order = rng.permutation(count)
    let seeds = (0..<count).map { _ in rng.next() }

    let plane = size * size
    let imageSize = 3 * plane
    var pixels = [Float](repeating: 0, count: count * imageSize)
    var specs = [ShapeSpec](repeating: ShapeSpec.placeholder, count: count)
    var boxes = [BoundingBox](repeating: BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0), count: count)
    if count > 0 { pixels.withUnsafeMutableBufferPointer { px in
        specs.withUnsafeMutableBufferPointer { sp in
            boxes.withUnsafeMutableBufferPointer { bx in
                let out = SendableMutablePointer(px.baseAddress!)
                let specOut = SendableMutablePointer(sp.baseAddress!)
                let boxOut = SendableMutablePointer(bx.baseAddress!)
                parallelFor(count, threads: threads ?? computeThreads()) { i in
                    var local = RandomGenerator(seed: seeds[i])
                    let spec = ShapeSpec.random(kind: ShapeKind(rawValue: order[i] % kinds)!,
                                                size: size, using: &local)
                    let image = UnsafeMutableBufferPointer(start: out.p + i * imageSize, count: imageSize)
                    paintBackground(background, image: image, size: size, using: &local)
                    boxOut.p[i] = renderShape(spec, into: image, size: size)
                    specOut.p[i] = spec
                }
            }
        }
    } }
    let attributes: [String: [Float]] = [
        "color": specs.map { Float($0.color) },
        "brightness": specs.map(\.brightness),
        "size": specs.map(\.radius),
        "center_x": specs.map(\.centerX),
        "center_y": specs.map(\.centerY),
        "rotation": specs.map(\.rotation),
    ]
    return Dataset(name: "shapes", inputs: Tensor(shape: [count, 3, size, size], data: pixels),
                   labels: specs.map { $0.kind.rawValue }, classNames: ShapeKind.allCases.map(\.name),
                   attributes: attributes, boxes: boxes, seed: seed)
}

/// The drawn parameters of one shape.
struct ShapeSpec: Sendable {
    var kind: ShapeKind
    var color: Int
    var brightness: Float
    var radius: Float
    var centerX: Float
    var centerY: Float
    var rotation: Float

    static let placeholder = ShapeSpec(kind: .circle, color: 0, brightness: 1, radius: 1,
                                       centerX: 0, centerY: 0, rotation: 0)

    /// How far the shape reaches from its centre, as a multiple of the radius.
    static let extent: Float = 1.1

    static func random(kind: ShapeKind, size: Int, using rng: inout RandomGenerator) -> ShapeSpec {
        let s = Float(size)
        let color = rng.nextInt(below: shapesPalette.count)
        let brightness = rng.nextFloat(in: 0.7, 1.0)
        let radius = rng.nextFloat(in: s * 3 / 16, s * 5 / 16)
        let margin = extent * radius
        let cx = rng.nextFloat(in: margin, s - margin)
        let cy = rng.nextFloat(in: margin, s - margin)
        let rotation = rng.nextFloat(in: 0, 2 * Float.pi)
        return ShapeSpec(kind: kind, color: color, brightness: brightness, radius: radius,
                         centerX: cx, centerY: cy, rotation: rotation)
    }
}
