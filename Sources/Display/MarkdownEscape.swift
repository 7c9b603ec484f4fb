/// `text` as literal Markdown inline text: what a CommonMark or GitHub renderer shows is
/// exactly the characters of `text`, never markup. The one Markdown escaper of the
/// exports (tables, titles, messages, prose re-rendered by the Markdown export).
///
/// Backslash-escaped everywhere: `\` `` ` `` `*` `[` `]` `<` `|` `~` (code spans, emphasis,
/// links and images, raw HTML and autolinks, table cells, strikethrough), `&` where a
/// character reference could start (`&#…`, `&name`), and `_` unless it sits inside a
/// word (`snake_case` stays as written; an intraword `_` never opens emphasis). Line breaks become spaces, so the
/// text stays on its line (a table row, a heading, a quoted message); other control
/// characters are dropped. With `atLineStart`, a leading `#`, `>`, `+`, `-` or `=`, or
/// the `.`/`)` of a leading number, is escaped too, so the text never opens a heading,
/// quote, list or setext underline.
public func markdownEscape(_ text: String, atLineStart: Bool = false) -> String {
    let chars = Array(text)
    var out = ""
    out.reserveCapacity(chars.count)
    func isWordCharacter(_ k: Int) -> Bool {
        k >= 0 && k < chars.count && (chars[k].isLetter || chars[k].isNumber)
    }
    let leadingDigits = atLineStart ? chars.prefix(while: { $0.isASCII && $0.isNumber }).count : 0
    for (k, c) in chars.enumerated() {
        if atLineStart, k == 0 && "#>+-=".contains(c) || leadingDigits > 0 && k == leadingDigits && ".)".contains(c) {
            out += "\\" + String(c)
            continue
        }
        switch c {
        case "\\", "`", "*", "[", "]", "<", "|", "~":
            out += "\\" + String(c)
        case "&":
            // Only where it could start a character reference (`&amp;`, `&#106;`).
            let next = k + 1 < chars.count ? chars[k + 1] : " "
            out += next == "#" || next.isLetter || next.isNumber ? "\\&" : "&"
        case "_":
            out += isWordCharacter(k - 1) && isWordCharacter(k + 1) ? "_" : "\\_"
        case "\n", "\r", "\r\n":
            out += " "
        default:
            if let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1,
               scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                continue
            }
            out.append(c)
        }
    }
    return out
}

/// Markdown source (markup kept: code spans, emphasis, links) fit for one cell of a
/// Markdown table: `|` backslash-escaped, so it does not end the cell, and line breaks as
/// spaces, so it stays on the row. For text that must show literally, use `markdownEscape`.
public func markdownTableCell(_ markdown: String) -> String {
    markdown.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}
