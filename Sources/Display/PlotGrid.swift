/// A character grid for plots. Each cell holds braille dots (2 wide × 4 high) or a marker
/// character, and the colour index of the last series that drew in it.
///
/// Braille: U+2800 plus one bit per dot; dot (col, row) within a cell has the bit
/// `[[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]][row][col]`.
struct PlotGrid {
    let columns: Int
    let rows: Int
    private var bits: [UInt8]
    private var markers: [Character?]
    private var colorIndex: [Int?]

    private static let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    init(columns: Int, rows: Int) {
        precondition(columns > 0 && rows > 0, "PlotGrid: \(columns)×\(rows) has no cells")
        self.columns = columns
        self.rows = rows
        bits = Array(repeating: 0, count: columns * rows)
        markers = Array(repeating: nil, count: columns * rows)
        colorIndex = Array(repeating: nil, count: columns * rows)
    }

    /// Width and height in dots.
    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// Sets the dot at (x, y), y = 0 at the top; with `marker`, the whole cell shows it.
    mutating func set(x: Int, y: Int, color: Int, marker: Character? = nil) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cell = (y / 4) * columns + x / 2
        if let marker {
            markers[cell] = marker
        } else {
            bits[cell] |= PlotGrid.dotBits[y % 4][x % 2]
        }
        colorIndex[cell] = color
    }

    /// A straight line of dots from one point to another (Bresenham).
    mutating func line(from a: (Int, Int), to b: (Int, Int), color: Int, marker: Character? = nil) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var steps = 0
        while steps <= 4 * (dotWidth + dotHeight) {
            set(x: x0, y: y0, color: color, marker: marker)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
            steps += 1
        }
    }

    /// Row `r` as text, coloured from `palette` when colour is on.
    func row(_ r: Int, colors palette: (Int) -> RGB, mode: ColorMode) -> String {
        var out = ""
        for c in 0..<columns {
            let cell = r * columns + c
            let ch: Character
            if let m = markers[cell] {
                ch = m
            } else if bits[cell] != 0 {
                ch = Character(Unicode.Scalar(0x2800 + UInt32(bits[cell]))!)
            } else {
                out.append(" ")
                continue
            }
            if let index = colorIndex[cell] {
                out += ANSI.paint(String(ch), palette(index), mode)
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
