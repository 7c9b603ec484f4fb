import TensorCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The grey level of the plain background.
let shapesBackgroundGrey: Float = 0.45

/// Fills a `[3, size, size]` image with the background.
func paintBackground(_ background: ShapesBackground, image: UnsafeMutableBufferPointer<Float>,
                     size: Int, using rng: inout RandomGenerator) {
    let plane = size * size
    switch background {
    case .plain:
        image.update(repeating: shapesBackgroundGrey)
    case .textured:
        // grey + a_c · sin(2π f (x cos φ + y sin φ) / size + phase), per channel amplitude a_c.
        let frequency = rng.nextFloat(in: 2, 5)
        let angle = rng.nextFloat(in: 0, Float.pi)
        let phase = rng.nextFloat(in: 0, 2 * Float.pi)
        let amplitude = (0..<3).map { _ in rng.nextFloat(in: 0.05, 0.15) }
        let kx = 2 * Float.pi * frequency * cos(angle) / Float(size)
        let ky = 2 * Float.pi * frequency * sin(angle) / Float(size)
        for y in 0..<size {
            for x in 0..<size {
                let wave = sin(kx * (Float(x) + 0.5) + ky * (Float(y) + 0.5) + phase)
                for c in 0..<3 {
                    image[c * plane + y * size + x] = shapesBackgroundGrey + amplitude[c] * wave
                }
            }
        }
    }
}

/// Blends the shape into the image by its 4×4-supersampled coverage and returns the tight
/// box of the pixels it touches (coverage > 0).
func renderShape(_ spec: ShapeSpec, into image: UnsafeMutableBufferPointer<Float>, size: Int) -> BoundingBox {
    let plane = size * size
    let (pr, pg, pb) = shapesPalette[spec.color].rgb
    let colour = [pr * spec.brightness, pg * spec.brightness, pb * spec.brightness]
    let reach = ShapeSpec.extent * spec.radius + 1
    let x0 = max(0, Int((spec.centerX - reach).rounded(.down)))
    let x1 = min(size, Int((spec.centerX + reach).rounded(.up)))
    let y0 = max(0, Int((spec.centerY - reach).rounded(.down)))
    let y1 = min(size, Int((spec.centerY + reach).rounded(.up)))
    let cosT = cos(spec.rotation), sinT = sin(spec.rotation)
    let r = spec.radius
    let sub = 4
    let step = 1 / Float(sub)
    var minX = size, minY = size, maxX = -1, maxY = -1

    // A pixel whose centre is farther than this from the outline (in the 1-Lipschitz
    // distance below) has all 16 sub-samples on the same side: no need to supersample.
    // The farthest sub-sample lies (0.375, 0.375) from the centre, 0.53 px away.
    let band: Float = 0.54
    for y in y0..<max(y0, y1) {
        for x in x0..<max(x0, x1) {
            let cxo = Float(x) + 0.5 - spec.centerX, cyo = Float(y) + 0.5 - spec.centerY
            let centre = shapeDistance(spec.kind, u: cosT * cxo + sinT * cyo, v: -sinT * cxo + cosT * cyo, radius: r)
            var inside = 0
            if centre > band {
                continue
            } else if centre < -band {
                inside = sub * sub
            } else {
                for sy in 0..<sub {
                    let dy = Float(y) + (Float(sy) + 0.5) * step - spec.centerY
                    for sx in 0..<sub {
                        let dx = Float(x) + (Float(sx) + 0.5) * step - spec.centerX
                        // Shape-local coordinates: rotate the offset by −rotation.
                        let u = cosT * dx + sinT * dy
                        let v = -sinT * dx + cosT * dy
                        if shapeDistance(spec.kind, u: u, v: v, radius: r) <= 0 { inside += 1 }
                    }
                }
            }
            guard inside > 0 else { continue }
            let alpha = Float(inside) / Float(sub * sub)
            for c in 0..<3 {
                let k = c * plane + y * size + x
                image[k] = image[k] * (1 - alpha) + colour[c] * alpha
            }
            minX = min(minX, x); maxX = max(maxX, x)
            minY = min(minY, y); maxY = max(maxY, y)
        }
    }
    if maxX < 0 { return BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0) }
    return BoundingBox(minX: Float(minX), minY: Float(minY), maxX: Float(maxX + 1), maxY: Float(maxY + 1))
}

/// A signed distance to the outline of a shape of the given radius at the shape-local point
/// (u, v): negative inside, positive outside, and 1-Lipschitz (it changes by at most the
/// distance moved), exact inside and a lower bound of the true distance outside.
/// The point is inside the shape exactly when it is ≤ 0.
@inline(__always)
func shapeDistance(_ kind: ShapeKind, u: Float, v: Float, radius r: Float) -> Float {
    switch kind {
    case .circle:
        return (u * u + v * v).squareRoot() - r
    case .ring:
        let d = (u * u + v * v).squareRoot()
        return max(d - r, 0.55 * r - d)  // inner radius 0.55 r
    case .square:
        return max(abs(u), abs(v)) - 0.75 * r  // half-side 0.75 r
    case .triangle:
        // Equilateral, circumradius R = 1.05 r: inside all three edges, whose outward unit
        // normals point at −90°, 30° and 150°, each edge at distance R/2 from the centre.
        let half = 0.525 * r
        let c30: Float = 0.866_025_4
        return max(-v - half, max(c30 * u + 0.5 * v - half, -c30 * u + 0.5 * v - half))
    case .cross:
        // Two bars 0.95 r long and 0.3 r half-wide: the union is the minimum.
        let w = 0.3 * r, l = 0.95 * r
        return min(max(abs(u) - w, abs(v) - l), max(abs(v) - w, abs(u) - l))
    }
}
