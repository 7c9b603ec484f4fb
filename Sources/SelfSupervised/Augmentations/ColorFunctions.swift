/// Colour adjustments with torchvision's semantics (`torchvision.transforms.v2.functional`
/// on float images in [0, 1]). Each works in place on one image; a one-channel image is
/// treated as grey (saturation and hue leave it unchanged, as torchvision does).

/// Luma of an RGB pixel, ITU-R 601-2 as torchvision's `rgb_to_grayscale`:
/// 0.2989 r + 0.587 g + 0.114 b.
@inline(__always) func rgbLuma(_ r: Float, _ g: Float, _ b: Float) -> Float {
    0.2989 * r + 0.587 * g + 0.114 * b
}

@inline(__always) func clampToUnit(_ x: Float) -> Float { min(max(x, 0), 1) }

/// x ↦ clamp(f·x, 0, 1)  (`adjust_brightness`; f = 1 is the identity).
public func adjustBrightness(_ image: inout ImageBuffer, factor: Float) {
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in p.indices { p[i] = clampToUnit(factor * p[i]) }
    }
}

/// x ↦ clamp(f·x + (1 − f)·m, 0, 1), m the mean luma of the whole image (`adjust_contrast`).
public func adjustContrast(_ image: inout ImageBuffer, factor: Float) {
    let n = image.planeSize
    var mean: Float = 0
    image.pixels.withUnsafeMutableBufferPointer { p in
        if image.channels == 3 {
            for i in 0..<n { mean += rgbLuma(p[i], p[n + i], p[2 * n + i]) }
        } else {
            for i in 0..<(image.channels * n) { mean += p[i] }
        }
        mean /= Float(image.channels == 3 ? n : image.channels * n)
        let offset = (1 - factor) * mean
        for i in p.indices { p[i] = clampToUnit(factor * p[i] + offset) }
    }
}

/// x ↦ clamp(f·x + (1 − f)·rgbLuma(pixel), 0, 1)  (`adjust_saturation`; f = 0 is grey).
public func adjustSaturation(_ image: inout ImageBuffer, factor: Float) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            let g = (1 - factor) * rgbLuma(p[i], p[n + i], p[2 * n + i])
            p[i] = clampToUnit(factor * p[i] + g)
            p[n + i] = clampToUnit(factor * p[n + i] + g)
            p[2 * n + i] = clampToUnit(factor * p[2 * n + i] + g)
        }
    }
}

/// Shifts hue by `factor` turns (in [−0.5, 0.5]) in HSV space, as `adjust_hue`:
/// RGB → HSV as torchvision's `_rgb_to_hsv` (v = max, s = (max − min)/max, h from the
/// channel that is largest), h ← (h + factor) mod 1, then HSV → RGB. The last step uses
/// the branch-free form of `_hsv_to_rgb`'s six-sector table: channel n ∈ {5, 3, 1} (R, G,
/// B) is v − v·s·clamp(min(k, 4 − k), 0, 1) with k = (n + 6h) mod 6 (same values, up to
/// rounding, without unpredictable branches on random colours).
public func adjustHue(_ image: inout ImageBuffer, factor: Float) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        // One pixel at a time. (An earlier SIMD8 form of this loop, with the standard
        // library's lane masks, measured three times slower than this scalar loop.)
        for i in 0..<n {
            let r = p[i], g = p[n + i], b = p[2 * n + i]
            // (Two-argument max/min: the variadic three-argument form allocates.)
            let maxc = max(max(r, g), b), minc = min(min(r, g), b)
            let equal = maxc == minc
            let range = maxc - minc
            let s = range / (equal ? 1 : maxc)
            let inverse = 1 / (equal ? 1 : range)
            let rc = (maxc - r) * inverse, gc = (maxc - g) * inverse, bc = (maxc - b) * inverse
            let hg = 2 + rc - bc, hb = 4 + gc - rc
            var h: Float = maxc == r ? bc - gc : (maxc == g ? hg : hb)
            h = h * (1.0 / 6.0) + 1            // in [5/6, 11/6]
            h -= Float(Int(h))                  // mod 1 (h > 0, so truncation is floor)
            h += factor + 1                     // in [0.5, 2.5): (h + factor) mod 1 next
            h -= Float(Int(h))
            let h6 = 6 * h, vs = maxc * s
            @inline(__always) func channel(_ offset: Float) -> Float {
                var k = offset + h6
                k = k >= 6 ? k - 6 : k
                return clampToUnit(maxc - vs * clampToUnit(min(k, 4 - k)))
            }
            p[i] = channel(5)
            p[n + i] = channel(3)
            p[2 * n + i] = channel(1)
        }
    }
}

/// Replaces every channel of an RGB image by its luma (`rgb_to_grayscale` with 3 output
/// channels, as `RandomGrayscale` does). One-channel images are unchanged.
public func grayscale(_ image: inout ImageBuffer) {
    guard image.channels == 3 else { return }
    let n = image.planeSize
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in 0..<n {
            let y = rgbLuma(p[i], p[n + i], p[2 * n + i])
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
