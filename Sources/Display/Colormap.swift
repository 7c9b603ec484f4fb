/// Colour maps: value in [0, 1] -> colour, by piecewise-linear interpolation of anchors.
public struct Colormap: Sendable, Equatable {
    public let anchors: [RGB]
    /// Whether the map is centred on zero (signed data).
    public let isDiverging: Bool

    public init(anchors: [RGB], isDiverging: Bool) {
        precondition(anchors.count >= 2, "Colormap: needs at least two anchors")
        self.anchors = anchors
        self.isDiverging = isDiverging
    }

    /// Matplotlib's viridis, sampled at 9 points: dark purple -> blue -> green -> yellow.
    public static let viridis = Colormap(anchors: [
        RGB(68, 1, 84), RGB(71, 44, 122), RGB(59, 81, 139), RGB(44, 113, 142), RGB(33, 144, 141),
        RGB(39, 173, 129), RGB(92, 200, 99), RGB(170, 220, 50), RGB(253, 231, 37),
    ], isDiverging: false)

    /// A blue-white-red map (ColorBrewer RdBu reversed): negative blue, zero white, positive red.
    public static let blueWhiteRed = Colormap(anchors: [
        RGB(5, 48, 97), RGB(33, 102, 172), RGB(67, 147, 195), RGB(146, 197, 222), RGB(247, 247, 247),
        RGB(244, 165, 130), RGB(214, 96, 77), RGB(178, 24, 43), RGB(103, 0, 31),
    ], isDiverging: true)

    /// The colour at `t` in [0, 1] (clamped).
    public func color(at t: Double) -> RGB {
        let t = t.isNaN ? 0 : min(1, max(0, t))
        let x = t * Double(anchors.count - 1)
        let i = min(anchors.count - 2, Int(x))
        return RGB.mix(anchors[i], anchors[i + 1], x - Double(i))
    }

    /// Characters for plain-text heatmaps, light to dark.
    static let sequentialRamp: [Character] = Array(" .:-=+*#%@")
    /// Characters for signed data, from most negative to most positive; blank at zero.
    static let divergingRamp: [Character] = Array("%=-' .+*#")

    /// The ramp character for `t` in [0, 1].
    func character(at t: Double) -> Character {
        let ramp = isDiverging ? Colormap.divergingRamp : Colormap.sequentialRamp
        let t = t.isNaN ? 0 : min(1, max(0, t))
        return ramp[min(ramp.count - 1, Int(t * Double(ramp.count)))]
    }
}

/// Distinct colours for series and classes (Tableau 10), and marker characters for when
/// colour is off.
public enum Palette {
    public static let colors: [RGB] = [
        RGB(31, 119, 180), RGB(255, 127, 14), RGB(44, 160, 44), RGB(214, 39, 40), RGB(148, 103, 189),
        RGB(140, 86, 75), RGB(227, 119, 194), RGB(127, 127, 127), RGB(188, 189, 34), RGB(23, 190, 207),
    ]
    public static let markers: [Character] = Array("*o+x#@%&=~")

    public static func color(_ i: Int) -> RGB { colors[((i % colors.count) + colors.count) % colors.count] }
    public static func marker(_ i: Int) -> Character { markers[((i % markers.count) + markers.count) % markers.count] }
}
