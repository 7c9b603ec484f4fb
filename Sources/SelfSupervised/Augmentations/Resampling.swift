/// Resampling kernels shared by the geometric augmentations.
///
/// `resizedCrop` follows torchvision's `resized_crop(..., antialias=True)` for float
/// tensors, i.e. ATen's separable anti-aliased bilinear filter: for output index i of a
/// dimension scaled by s = in/out, the centre is c = s·(i + ½), the support is
/// max(s, 1), and input j gets weight tri((j − c + ½)/max(s, 1)) with tri(x) = max(0, 1 − |x|),
/// normalised to sum 1 over the inputs inside the image. When upsampling (s ≤ 1) this is
/// exactly bilinear interpolation with `align_corners=False` and edge clamping; when
/// downsampling it averages over the footprint instead of aliasing.
struct ResizeAxisWeights {
    var start: [Int]
    var count: [Int]
    var weights: [Float]   // `stride` slots per output index
    var stride: Int

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let support = scale >= 1 ? scale : 1
        let invScale = scale >= 1 ? 1 / scale : 1
        stride = Int(support.rounded(.up)) * 2 + 1
        start = [Int](repeating: 0, count: outputSize)
        count = [Int](repeating: 0, count: outputSize)
        weights = [Float](repeating: 0, count: outputSize * stride)
        for i in 0..<outputSize {
            let centre = scale * (Double(i) + 0.5)
            let lo = max(Int(centre - support + 0.5), 0)
            let n = min(max(min(Int(centre + support + 0.5), inputSize) - lo, 0), stride)
            func tent(_ j: Int) -> Double { max(0, 1 - abs((Double(j + lo) - centre + 0.5) * invScale)) }
            var total = 0.0
            for j in 0..<n { total += tent(j) }
            start[i] = lo
            count[i] = n
            for j in 0..<n { weights[i * stride + j] = total != 0 ? Float(tent(j) / total) : 0 }
        }
    }
}

/// Crops the box (`top`, `left`, `height`, `width`, inside the image) and resizes it to
/// `outputHeight`×`outputWidth` with torchvision's anti-aliased bilinear filter (above):
/// a horizontal pass, then a vertical pass.
func resampleCropBox(_ image: ImageBuffer, top: Int, left: Int, height: Int, width: Int,
                  outputHeight: Int, outputWidth: Int) -> ImageBuffer {
    let wx = ResizeAxisWeights(inputSize: width, outputSize: outputWidth)
    let wy = ResizeAxisWeights(inputSize: height, outputSize: outputHeight)
    let c = image.channels
    var middle = [Float](repeating: 0, count: c * height * outputWidth)
    var out = ImageBuffer(channels: c, height: outputHeight, width: outputWidth)
    image.pixels.withUnsafeBufferPointer { srcBuf in
        middle.withUnsafeMutableBufferPointer { midBuf in
            wx.start.withUnsafeBufferPointer { startBuf in
                wx.count.withUnsafeBufferPointer { countBuf in
                    wx.weights.withUnsafeBufferPointer { weightBuf in
                        // (Raw pointers: the taps' indices come from the weights' own ranges.)
                        let (src, mid) = (srcBuf.baseAddress!, midBuf.baseAddress!)
                        let (starts, counts, weights) = (startBuf.baseAddress!, countBuf.baseAddress!, weightBuf.baseAddress!)
                        let tapStride = wx.stride
                        for ch in 0..<c {
                            for y in 0..<height {
                                let row = src + (ch * image.height + top + y) * image.width + left
                                let dst = mid + (ch * height + y) * outputWidth
                                for x in 0..<outputWidth {
                                    var acc: Float = 0
                                    let w = weights + x * tapStride
                                    let s = row + starts[x]
                                    for k in 0..<counts[x] { acc += s[k] * w[k] }
                                    dst[x] = acc
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    middle.withUnsafeBufferPointer { mid in
        out.pixels.withUnsafeMutableBufferPointer { dst in
            for ch in 0..<c {
                for y in 0..<outputHeight {
                    let base = y * wy.stride
                    let o = (ch * outputHeight + y) * outputWidth
                    for x in 0..<outputWidth { dst[o + x] = 0 }
                    for k in 0..<wy.count[y] {
                        let w = wy.weights[base + k]
                        let r = (ch * height + wy.start[y] + k) * outputWidth
                        for x in 0..<outputWidth { dst[o + x] += w * mid[r + x] }
                    }
                }
            }
        }
    }
    return out
}

/// Warps an image by an affine map about its centre, bilinearly, with `fill` outside.
///
/// `inverse` = (a, b, c, d, tx, ty) maps an output point p (pixel centre, relative to the
/// image centre, x right, y down) to the source point (a·pₓ + b·p_y + tx, c·pₓ + d·p_y + ty).
/// Each of the four neighbours of a source point outside the image counts as `fill`
/// (as `grid_sample` with zero padding does, for `fill` 0).
func warpAffine(_ image: ImageBuffer, inverse m: (Float, Float, Float, Float, Float, Float),
                fill: Float) -> ImageBuffer {
    let (h, w) = (image.height, image.width)
    var out = ImageBuffer(channels: image.channels, height: h, width: w)
    let cx = Float(w) / 2, cy = Float(h) / 2
    image.pixels.withUnsafeBufferPointer { src in
        out.pixels.withUnsafeMutableBufferPointer { dst in
            for y in 0..<h {
                let py = Float(y) + 0.5 - cy
                for x in 0..<w {
                    let px = Float(x) + 0.5 - cx
                    // Source position in pixel-index coordinates (pixel k has centre k).
                    let sx = m.0 * px + m.1 * py + m.4 + cx - 0.5
                    let sy = m.2 * px + m.3 * py + m.5 + cy - 0.5
                    let x0f = sx.rounded(.down), y0f = sy.rounded(.down)
                    let fx = sx - x0f, fy = sy - y0f
                    let x0 = Int(x0f), y0 = Int(y0f)
                    let inX0 = x0 >= 0 && x0 < w, inX1 = x0 + 1 >= 0 && x0 + 1 < w
                    let inY0 = y0 >= 0 && y0 < h, inY1 = y0 + 1 >= 0 && y0 + 1 < h
                    for ch in 0..<image.channels {
                        let plane = ch * h * w
                        let v00 = inY0 && inX0 ? src[plane + y0 * w + x0] : fill
                        let v01 = inY0 && inX1 ? src[plane + y0 * w + x0 + 1] : fill
                        let v10 = inY1 && inX0 ? src[plane + (y0 + 1) * w + x0] : fill
                        let v11 = inY1 && inX1 ? src[plane + (y0 + 1) * w + x0 + 1] : fill
                        let top = v00 + (v01 - v00) * fx
                        let bottom = v10 + (v11 - v10) * fx
                        dst[plane + y * w + x] = top + (bottom - top) * fy
                    }
                }
            }
        }
    }
    return out
}
