/// How many terminal columns text takes: the one measure every piece of terminal layout
/// uses (table columns, the diagnostic caret, chart labels), so that text in Chinese
/// (or any East Asian script) lines up as English does.
///
/// A character's width follows Unicode's East Asian Width property as terminals apply it
/// (`wcwidth`): Wide and Fullwidth characters (Han, kana, Hangul syllables, fullwidth
/// forms and punctuation such as `，` and `（`, most emoji) take two columns; combining marks,
/// zero-width joiners and other format and control characters take none; everything else
/// takes one. Ambiguous-width characters (Greek, box drawing, `·`, `±`) take one, as in
/// every terminal outside East Asian legacy modes. The ranges below are those of the
/// Unicode 15 East Asian Width table, merged.
public enum DisplayWidth {
    /// Ranges of Wide (W) and Fullwidth (F) code points.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x4DBF, 0x4E00...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE3, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
        0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
        0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF,
        0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0,
        0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Columns one code point takes: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }  // C1 controls
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul medial vowels and finals
        if value < 0x1100 { return 1 }
        var low = 0, high = wide.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < wide[middle].lowerBound { high = middle - 1 }
            else if value > wide[middle].upperBound { low = middle + 1 }
            else { return 2 }
        }
        return 1
    }
}

extension StringProtocol {
    /// The terminal columns this text takes (`DisplayWidth`); a tab counts as one column
    /// (callers lay out text without tabs).
    public var displayWidth: Int {
        var total = 0
        for scalar in unicodeScalars { total += scalar == "\t" ? 1 : DisplayWidth.of(scalar) }
        return total
    }

    /// The longest prefix, in whole characters, that fits in `width` columns.
    public func prefix(displayWidth width: Int) -> String {
        var used = 0
        var end = startIndex
        for index in indices {
            let columns = self[index].unicodeScalars.reduce(0) { $0 + ($1 == "\t" ? 1 : DisplayWidth.of($1)) }
            if used + columns > width { break }
            used += columns
            end = self.index(after: index)
        }
        return String(self[startIndex..<end])
    }

    /// Spaces that pad this text to `width` columns (none when it is wider).
    public func padding(toDisplayWidth width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - displayWidth))
    }
}

extension StringProtocol {
    /// The text as lines of at most `width` columns (`DisplayWidth`), for help and other
    /// prose in a terminal: words (runs without spaces) fill each line, one space apart,
    /// and Chinese text, which has no spaces, breaks between characters where `LineBreak`
    /// allows (never before `，` or `）`, never after `（`); a piece wider than a whole
    /// line (a long name) is cut at the width. `firstIndent` starts the first line and `indent` every other
    /// line; their columns count towards the width. Text without words gives one line,
    /// the first indent with trailing spaces removed.
    public func wrapped(toDisplayWidth width: Int, firstIndent: String = "", indent: String = "") -> [String] {
        var lines: [String] = []
        var line = firstIndent
        var lineHasWord = false
        func available(_ prefix: String) -> Int { Swift.max(1, width - prefix.displayWidth) }
        func finishLine() {
            lines.append(line)
            line = indent
            lineHasWord = false
        }
        for (piece, spaced) in split(separator: " ", omittingEmptySubsequences: true)
            .flatMap({ word in LineBreak.segments(word).enumerated().map { ($1, $0 == 0) } }) {
            var rest = piece
            if lineHasWord {
                let gap = spaced ? " " : ""
                if line.displayWidth + gap.count + rest.displayWidth <= width {
                    line += gap + rest
                    continue
                }
                finishLine()
            }
            // At the start of a line: cut the word while it is wider than the room left.
            while rest.displayWidth > available(line) {
                var piece = rest.prefix(displayWidth: available(line))
                if piece.isEmpty { piece = String(rest.prefix(1)) }   // a character wider than the room
                lines.append(line + piece)
                line = indent
                rest = String(rest.dropFirst(piece.count))
            }
            if !rest.isEmpty {
                line += rest
                lineHasWord = true
            }
        }
        if lineHasWord || lines.isEmpty {
            lines.append(lineHasWord ? line : String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
        return lines
    }
}

/// Where a line of prose may break besides at a space: between two characters when either
/// is wide (Han, kana, Hangul, fullwidth forms: text written without spaces), except before
/// closing punctuation (`，。、；：？！）」』》` and their ASCII forms) and after opening
/// punctuation (`（「『《“`), and never inside `——` or `……` — the usual rules of Chinese
/// typesetting (禁则). Every terminal wrap of prose uses it, so Chinese wraps alike in
/// help, lessons and messages.
public enum LineBreak {
    /// Characters that never start a line.
    static let noStart: Set<Character> = Set("，。、；：？！）」』》〉】〕〗”’．～,.;:?!)]}%…—·")
    /// Characters that never end a line.
    static let noEnd: Set<Character> = Set("（「『《〈【〔〖“‘([{")

    /// Whether the character takes two columns (its first code point is wide).
    public static func isWide(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { DisplayWidth.of($0) == 2 } ?? false
    }

    /// Whether a line may break between `before` and `after`, two characters with no space
    /// between them.
    public static func allowed(between before: Character, and after: Character) -> Bool {
        guard isWide(before) || isWide(after) else { return false }
        if noStart.contains(after) || noEnd.contains(before) { return false }
        return true
    }

    /// The text (a word: no spaces) cut at every place a line may break, in order; joined
    /// they are the text again. Empty text gives no pieces.
    public static func segments(_ text: some StringProtocol) -> [String] {
        var pieces: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if let previous, allowed(between: previous, and: character) {
                pieces.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Punctuation Chinese text uses that terminals draw one column wide: quotes, the
    /// ellipsis and the dash. Next to a wide character it belongs to the Chinese text.
    static let narrowChinesePunctuation: Set<Character> = Set("“”‘’…—·")

    /// Whether a soft line break (a newline inside a paragraph) between a line ending in
    /// `before` and one starting with `after` is read as nothing rather than a space: when
    /// both are Chinese (wide, or Chinese punctuation such as `”` beside a wide one), as
    /// Chinese text wrapped in the source has no spaces to keep.
    public static func joinsWithoutSpace(_ before: Character, _ after: Character) -> Bool {
        let chinese = { (c: Character) in isWide(c) || narrowChinesePunctuation.contains(c) }
        return chinese(before) && chinese(after) && (isWide(before) || isWide(after))
    }
}
