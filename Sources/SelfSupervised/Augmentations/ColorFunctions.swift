/// Colour adjustments with torchvision's semantics (`torchvision.transforms.v2.functional`
/// on float images in [0, 1]). Each works in place on one image; a one-channel image is
/// treated as grey (saturation and hue leave it unchanged, as torchvision does).

/// Luma of an RGB pixel, ITU-R 601-2 as torchvision's `rgb_to_grayscale`:
/// 0.2989 r + 0.587 g + 0.114 b.
@inline(__always) func luma(_ r: Float, _ g: Float, _ b: Float) -> Float {
    0.2989 * r + 0.587 * g + 0.114 * b
}

@inline(__always) func clamp01(_ x: Float) -> Float { min(max(x, 0), 1) }

/// x ↦ clamp(f·x, 0, 1)  (`adjust_brightness`; f = 1 is the identity).
public func adjustBrightness(_ image: inout ImageBuffer, factor: Float) {
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in p.indices { p[i] = clamp01(factor * p[i]) }
    }
}

/// x ↦ clamp(f·x + (1 − f)·m, 0, 1), m the mean luma of the whole image (`adjust_contrast`).
public func adjustContrast(_ image: inout ImageBuffer, factor: Float) {
    let n = image.planeSize
    var mean: Float = 0
    image.pixels.withUnsafeMutableBufferPointer { p in
        if image.channels == 3 {
            for i in 0..<n { mean += luma(p[i], p[n + i], p[2 * n + i]) }
        } else {
            for i in 0..<(image.channels * n) { mean += p[i] }
        }
        mean /= Float(image.channels == 3 ? n : image.channels * n)
        let offset = (1 - factor) * mean
        for i in p.indices { p[i] = clamp01(factor * p[i] + offset) }
    }
}

/// x ↦ clamp(f·x + (1 − f)·luma(pixel), 0, 1)  (`adjust_saturation`; f = 0 is grey).
public func adjustSaturation(_ image: inout ImageBuffer, factor: Float) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            let g = (1 - factor) * luma(p[i], p[n + i], p[2 * n + i])
            p[i] = clamp01(factor * p[i] + g)
            p[n + i] = clamp01(factor * p[n + i] + g)
            p[2 * n + i] = clamp01(factor * p[2 * n + i] + g)
        }
    }
}

/// Shifts hue by `factor` turns (in [−0.5, 0.5]) in HSV space (`adjust_hue`): RGB → HSV
/// (torchvision's `_rgb_to_hsv`), h ← (h + factor) mod 1, HSV → RGB (`_hsv_to_rgb`).
public func adjustHue(_ image: inout ImageBuffer, factor: Float) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            let r = p[i], g = p[n + i], b = p[2 * n + i]
            let maxc = max(r, g, b), minc = min(r, g, b)
            let equal = maxc == minc
            let range = maxc - minc
            let s = range / (equal ? 1 : maxc)
            let divisor = equal ? 1 : range
            let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
            var h: Float
            if maxc == r { h = bc - gc } else if maxc == g { h = 2 + rc - bc } else { h = 4 + gc - rc }
            h = fmodPositive(h * (1.0 / 6.0) + 1, 1)
            h = fmodPositive(h + factor, 1)
            let v = maxc
            let h6 = h * 6
            let iF = h6.rounded(.down)
            let f = h6 - iF
            let sector = ((Int(iF) % 6) + 6) % 6
            let q = clamp01((1 - s * f) * v)
            let t = clamp01((s * f + (1 - s)) * v)
            let pp = clamp01((1 - s) * v)
            switch sector {
            case 0: (p[i], p[n + i], p[2 * n + i]) = (v, t, pp)
            case 1: (p[i], p[n + i], p[2 * n + i]) = (q, v, pp)
            case 2: (p[i], p[n + i], p[2 * n + i]) = (pp, v, t)
            case 3: (p[i], p[n + i], p[2 * n + i]) = (pp, q, v)
            case 4: (p[i], p[n + i], p[2 * n + i]) = (t, pp, v)
            default: (p[i], p[n + i], p[2 * n + i]) = (v, pp, q)
            }
        }
    }
}

/// x mod m in [0, m) for m > 0 (Python's `%` / `torch.remainder`).
@inline(__always) func fmodPositive(_ x: Float, _ m: Float) -> Float {
    let r = x - m * (x / m).rounded(.down)
    return r >= m ? r - m : r
}

/// Replaces every channel of an RGB image by its luma (`rgb_to_grayscale` with 3 output
/// channels, as `RandomGrayscale` does). One-channel images are unchanged.
public func grayscale(_ image: inout ImageBuffer) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            let y = luma(p[i], p[n + i], p[2 * n + i])
            p[i] = y; p[n + i] = y; p[2 * n + i] = y
        }
    }
}

/// x ↦ 1 − x where x ≥ threshold (torchvision `solarize`).
public func solarize(_ image: inout ImageBuffer, threshold: Float) {
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in p.indices where p[i] >= threshold { p[i] = 1 - p[i] }
    }
}
