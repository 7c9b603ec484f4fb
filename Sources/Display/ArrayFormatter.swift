/// Options of the NumPy-style array summary (NumPy's defaults, except precision 4).
public struct ArrayPrintOptions: Sendable, Equatable {
    /// Digits after the decimal point (at most).
    public var precision = 4
    /// Arrays with more elements than this are summarised with `...`.
    public var threshold = 1000
    /// Items kept at the start and the end of each summarised axis.
    public var edgeItems = 3
    /// Lines are wrapped to this many characters.
    public var lineWidth = 75
    /// Between elements; `", "` makes the output a valid `tensor([...])` literal.
    public var separator = ", "

    public init(precision: Int = 4, threshold: Int = 1000, edgeItems: Int = 3,
                lineWidth: Int = 75, separator: String = ", ") {
        self.precision = precision
        self.threshold = threshold
        self.edgeItems = edgeItems
        self.lineWidth = lineWidth
        self.separator = separator
    }
}

/// Formats a row-major array as NumPy's
/// `np.array2string(a, precision=4, threshold=1000, edgeitems=3, separator=', ')` does:
/// nested brackets, aligned columns, `...` for elided rows and columns, lines wrapped at 75.
///
/// A scalar (shape `[]`) prints in full precision (`NumberFormat.scalar`).
public func formatArray(_ data: [Float], shape: [Int], options: ArrayPrintOptions = .init()) -> String {
    precondition(data.count == shape.reduce(1, *),
                 "formatArray: \(data.count) elements do not fill shape \(shape)")
    if shape.isEmpty { return NumberFormat.scalar(data[0]) }
    if data.isEmpty { return "[]" }
    let printer = ArrayPrinter(data: data, shape: shape, options: options)
    return printer.render()
}

/// The recursive part of `formatArray`, a transcription of NumPy's `_formatArray`.
private struct ArrayPrinter {
    let data: [Float]
    let shape: [Int]
    let strides: [Int]
    let options: ArrayPrintOptions
    let summarise: Bool
    var formatter: FloatFormatter

    init(data: [Float], shape: [Int], options: ArrayPrintOptions) {
        self.data = data
        self.shape = shape
        self.options = options
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) {
            strides[axis] = strides[axis + 1] * shape[axis + 1]
        }
        self.strides = strides
        summarise = data.count > options.threshold
        formatter = FloatFormatter(values: [], precision: options.precision)
        formatter = FloatFormatter(values: shownValues(), precision: options.precision)
    }

    /// The indices kept along one axis: all of them, or the edge items at each end.
    private func kept(axis: Int) -> [Int] {
        let n = shape[axis], e = options.edgeItems
        if summarise && 2 * e < n { return Array(0..<e) + Array((n - e)..<n) }
        return Array(0..<n)
    }

    /// The elements that will be printed; the formatter is fitted to these only, as in NumPy.
    private func shownValues() -> [Float] {
        var offsets = [0]
        for axis in 0..<shape.count {
            let idx = kept(axis: axis)
            offsets = offsets.flatMap { base in idx.map { base + $0 * strides[axis] } }
        }
        return offsets.map { data[$0] }
    }

    func render() -> String {
        recurse(axis: 0, offset: 0, hangingIndent: " ", width: options.lineWidth)
    }

    private func recurse(axis: Int, offset: Int, hangingIndent: String, width: Int) -> String {
        if axis == shape.count { return formatter.format(data[offset]) }
        let nextIndent = hangingIndent + " "
        let nextWidth = width - 1
        let n = shape[axis]
        let showSummary = summarise && 2 * options.edgeItems < n
        let leading = showSummary ? options.edgeItems : 0
        let trailing = showSummary ? options.edgeItems : n
        let separator = options.separator
        var s = ""
        if axis == shape.count - 1 {
            let trimmedSep = separator.trimmingTrailingSpaces()
            let elemWidth = width - max(trimmedSep.count, 1)
            var line = hangingIndent
            for i in 0..<leading {
                let word = recurse(axis: axis + 1, offset: offset + i * strides[axis],
                                   hangingIndent: nextIndent, width: nextWidth)
                extend(&s, &line, word, elemWidth, hangingIndent)
                line += separator
            }
            if showSummary {
                extend(&s, &line, "...", elemWidth, hangingIndent)
                line += separator
            }
            for i in stride(from: trailing, to: 1, by: -1) {
                let word = recurse(axis: axis + 1, offset: offset + (n - i) * strides[axis],
                                   hangingIndent: nextIndent, width: nextWidth)
                extend(&s, &line, word, elemWidth, hangingIndent)
                line += separator
            }
            let word = recurse(axis: axis + 1, offset: offset + (n - 1) * strides[axis],
                               hangingIndent: nextIndent, width: nextWidth)
            extend(&s, &line, word, elemWidth, hangingIndent)
            s += line
        } else {
            let lineSep = separator.trimmingTrailingSpaces()
                + String(repeating: "\n", count: shape.count - axis - 1)
            for i in 0..<leading {
                let nested = recurse(axis: axis + 1, offset: offset + i * strides[axis],
                                     hangingIndent: nextIndent, width: nextWidth)
                s += hangingIndent + nested + lineSep
            }
            if showSummary { s += hangingIndent + "..." + lineSep }
            for i in stride(from: trailing, to: 1, by: -1) {
                let nested = recurse(axis: axis + 1, offset: offset + (n - i) * strides[axis],
                                     hangingIndent: nextIndent, width: nextWidth)
                s += hangingIndent + nested + lineSep
            }
            let nested = recurse(axis: axis + 1, offset: offset + (n - 1) * strides[axis],
                                 hangingIndent: nextIndent, width: nextWidth)
            s += hangingIndent + nested
        }
        return "[" + s.dropFirst(hangingIndent.count) + "]"
    }

    /// NumPy's `_extendLine`: wrap before `word` if the line would pass `width`,
    /// unless the line holds nothing but its indent.
    private func extend(_ s: inout String, _ line: inout String, _ word: String,
                        _ width: Int, _ indent: String) {
        var wrap = line.count + word.count > width
        if line.count <= indent.count { wrap = false }
        if wrap {
            s += line.trimmingTrailingSpaces() + "\n"
            line = indent
        }
        line += word
    }
}

extension String {
    /// The text without the spaces at its end (the terminal tables' lines).
    public func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
