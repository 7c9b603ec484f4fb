import LabSupport
import TensorCore

/// A batch of images ready to draw: pixel values in [0, 1], `count × channels × height × width`,
/// row-major, with an optional label under each image.
public struct ImageGrid: Sendable, Equatable {
    public let pixels: [Double]
    public let count: Int
    public let channels: Int
    public let height: Int
    public let width: Int
    public let labels: [String]
    /// Integer scale-up (each pixel drawn as `scale × scale`); nil picks one for the output.
    public let scale: Int?
    /// The value range the input was rescaled from, when it was not already in [0, 1].
    public let rescaledFrom: ClosedRange<Double>?

    /// The colour of pixel (y, x) of image `n`; grey images repeat their one channel.
    public func color(_ n: Int, _ y: Int, _ x: Int) -> RGB {
        let plane = height * width
        let base = n * channels * plane + y * width + x
        if channels == 1 { let v = pixels[base]; return RGB(unit: v, v, v) }
        return RGB(unit: pixels[base], pixels[base + plane], pixels[base + 2 * plane])
    }
}

/// Images for `show`: `shape` is `[N, C, H, W]` with C = 1 or 3, `[N, H, W]` (grey) or
/// `[H, W]` (one grey image). Values already in [0, 1] are drawn as they are; otherwise the
/// whole batch is rescaled linearly from its finite min...max to [0, 1] (NaN draws black).
public func show(images data: [Float], shape: [Int], labels: [String]? = nil,
                 scale: Int? = nil, title: String? = nil) throws -> Chart {
    let dims: [Int]
    switch shape.count {
    case 4: dims = shape
    case 3: dims = [shape[0], 1, shape[1], shape[2]]
    case 2: dims = [1, 1, shape[0], shape[1]]
    default:
        throw DisplayError.invalidArgument(function: "show",
            message: Messages.text("images must have shape [N, C, H, W], [N, H, W] or [H, W], got {shape}", ["shape": formatShape(shape)]))
    }
    guard dims[1] == 1 || dims[1] == 3 else {
        throw DisplayError.invalidArgument(function: "show",
            message: Messages.text("images need 1 or 3 channels, got {channels} in shape {shape}", ["channels": "\(dims[1])", "shape": formatShape(shape)]))
    }
    guard dims.allSatisfy({ $0 > 0 }), elementCount(dims) == data.count else {
        throw DisplayError.invalidArgument(function: "show",
            message: Messages.text("{count} values do not fill shape {shape}", ["count": "\(data.count)", "shape": formatShape(shape)]))
    }
    guard dims[0] <= 1024 else {
        throw DisplayError.invalidArgument(function: "show", message: Messages.text("at most 1024 images, got {count}", ["count": "\(dims[0])"]))
    }
    if let scale, !(1...16).contains(scale) {
        throw DisplayError.invalidArgument(function: "show", message: Messages.text("scale must be in 1...16, got {scale}", ["scale": "\(scale)"]))
    }
    if let labels, labels.count != dims[0] {
        throw DisplayError.invalidArgument(function: "show",
            message: Messages.text("{images} images but {labels} labels", ["images": "\(dims[0])", "labels": "\(labels.count)"]))
    }
    let finite = data.filter(\.isFinite).map(Double.init)
    let lo = finite.min() ?? 0, hi = finite.max() ?? 1
    let inUnit = lo >= 0 && hi <= 1
    let pixels: [Double] = data.map { v in
        guard v.isFinite else { return 0 }
        if inUnit { return Double(v) }
        return hi > lo ? (Double(v) - lo) / (hi - lo) : 0.5
    }
    let grid = ImageGrid(pixels: pixels, count: dims[0], channels: dims[1], height: dims[2],
                         width: dims[3], labels: labels ?? [], scale: scale,
                         rescaledFrom: inUnit ? nil : lo...hi)
    return Chart(.images(grid), title: title)
}

extension ImageGrid {
    /// The terminal drawing: upper-half blocks `▀` (foreground = upper pixel, background =
    /// lower pixel) in colour, or a density ramp ` .:-=+*#%@` two characters per pixel
    /// when colour is off. Images are laid out left to right, wrapping at the width.
    func renderText(_ caps: TerminalCapabilities) -> [String] {
        let color = caps.color
        let s = scale ?? (color == .none ? 1 : max(1, min(4, 16 / max(height, width))))
        let cellWidth = color == .none ? 2 * width * s : width * s
        let gap = 2
        let perRow = max(1, (caps.width + gap) / (cellWidth + gap))
        var lines: [String] = []
        for first in stride(from: 0, to: count, by: perRow) {
            let batch = Array(first..<min(count, first + perRow))
            let blocks = batch.map { imageLines($0, scale: s, mode: color) }
            for r in 0..<(blocks.first?.count ?? 0) {
                lines.append(blocks.map { $0[r] }.joined(separator: String(repeating: " ", count: gap))
                    .trimmingTrailingSpaces())
            }
            if !labels.isEmpty {
                let row = batch.map { centred(labels[$0], cellWidth) }
                lines.append(row.joined(separator: String(repeating: " ", count: gap)).trimmingTrailingSpaces())
            }
        }
        if let r = rescaledFrom {
            lines.append("(rescaled from \(NumberFormat.compact(r.lowerBound))...\(NumberFormat.compact(r.upperBound)) to 0...1)")
        }
        return lines
    }

    private static let ramp: [Character] = Array(" .:-=+*#%@")

    private func imageLines(_ n: Int, scale s: Int, mode: ColorMode) -> [String] {
        let h = height * s, w = width * s
        func pixel(_ y: Int, _ x: Int) -> RGB { color(n, y / s, x / s) }
        var lines: [String] = []
        if mode == .none {
            for y in 0..<h {
                var line = ""
                for x in 0..<w {
                    let luma = pixel(y, x).luma
                    let ch = ImageGrid.ramp[min(9, Int(luma * 10))]
                    line += String(repeating: ch, count: 2)
                }
                lines.append(line)
            }
            return lines
        }
        for y in stride(from: 0, to: h, by: 2) {
            var line = ""
            for x in 0..<w {
                let top = pixel(y, x)
                let fg = mode == .palette256 ? "\u{1B}[38;5;\(top.greyIndex)m" : ANSI.foreground(top, mode)
                var bg = ""
                if y + 1 < h {
                    let bottom = pixel(y + 1, x)
                    bg = mode == .palette256 ? "\u{1B}[48;5;\(bottom.greyIndex)m" : ANSI.background(bottom, mode)
                }
                line += fg + bg + "▀"
            }
            lines.append(line + ANSI.reset)
        }
        return lines
    }
}

/// `text` centred in `width` columns, cut when too long.
func centred(_ text: String, _ width: Int) -> String {
    let t = text.prefix(displayWidth: width)
    let left = (width - t.displayWidth) / 2
    return String(repeating: " ", count: left) + t + String(repeating: " ", count: width - t.displayWidth - left)
}

extension Tensor {
    /// `show` for a tensor of images (`[N, C, H, W]`, `[N, H, W]` or `[H, W]`).
    public func showImages(labels: [String]? = nil, scale: Int? = nil, title: String? = nil) throws -> Chart {
        try show(images: data, shape: shape, labels: labels, scale: scale, title: title)
    }
}
