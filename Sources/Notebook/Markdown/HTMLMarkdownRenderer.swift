import Display

/// Renders prose Markdown as an HTML fragment (escaped with `xmlEscape`, well-formed
/// XHTML-style markup; links only to destinations `MarkdownLinkPolicy` allows).
public enum HTMLMarkdownRenderer {
    public static func render(_ markdown: String) -> String {
        MarkdownBlock.parse(markdown).map(render).joined(separator: "\n")
    }

    /// The same, each top-level heading with an `id` from `anchors`, which records it
    /// (a page's table of contents).
    public static func render(_ markdown: String, anchors: inout HeadingAnchors) -> String {
        MarkdownBlock.parse(markdown).map { block in
            guard case .heading(let level, let inlines) = block else { return render(block) }
            let id = anchors.add(level: level, text: plainText(inlines))
            return "<h\(level) id=\"\(xmlEscape(id))\">\(render(inlines))</h\(level)>"
        }.joined(separator: "\n")
    }

    /// The words of inline Markdown without its markup (a heading's text in the contents).
    static func plainText(_ inlines: [MarkdownInline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let s), .code(let s): return s
            case .emphasis(let inner), .strong(let inner), .link(let inner, _): return plainText(inner)
            }
        }.joined()
    }

    static func render(_ block: MarkdownBlock) -> String {
        switch block {
        case .heading(let level, let inlines):
            return "<h\(level)>\(render(inlines))</h\(level)>"
        case .paragraph(let inlines):
            return "<p>\(render(inlines))</p>"
        case .list(let start, let items):
            let tag = start == nil ? "ul" : "ol"
            let startAttribute = start.map { $0 == 1 ? "" : " start=\"\($0)\"" } ?? ""
            let body = items.map { item -> String in
                // An item with a single paragraph (perhaps followed by a nested list or
                // code) is written without <p>, as a tight list.
                let paragraphs = item.filter { if case .paragraph = $0 { return true } else { return false } }
                let parts = item.map { block -> String in
                    if paragraphs.count == 1, case .paragraph(let inlines) = block { return render(inlines) }
                    return render(block)
                }
                return "<li>" + parts.joined(separator: "\n") + "</li>"
            }.joined(separator: "\n")
            return "<\(tag)\(startAttribute)>\n\(body)\n</\(tag)>"
        case .quote(let blocks):
            return "<blockquote>\n" + blocks.map(render).joined(separator: "\n") + "\n</blockquote>"
        case .code(let language, let text):
            let isLab = ["lab", "labscript"].contains(language.lowercased())
            let body = isLab ? highlightedHTML(text) : xmlEscape(text)
            let cls = language.isEmpty ? "" : " class=\"language-\(xmlEscape(language))\""
            return "<pre><code\(cls)>\(body)</code></pre>"
        case .rule:
            return "<hr/>"
        }
    }

    static func render(_ inlines: [MarkdownInline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let s): return xmlEscape(s)
            case .code(let s): return "<code>\(xmlEscape(s))</code>"
            case .emphasis(let inner): return "<em>\(render(inner))</em>"
            case .strong(let inner): return "<strong>\(render(inner))</strong>"
            case .link(let inner, let url): return "<a href=\"\(xmlEscape(url))\">\(render(inner))</a>"
            }
        }.joined()
    }
}

/// LabScript source as HTML: each token in a `<span class="…">` (short class names, see
/// `HTMLExport.stylesheet`), everything escaped.
public func highlightedHTML(_ source: String) -> String {
    LabScriptHighlighter.tokens(source).map { token in
        let text = xmlEscape(token.text)
        switch token.kind {
        case .keyword: return "<span class=\"kw\">\(text)</span>"
        case .number: return "<span class=\"nu\">\(text)</span>"
        case .string: return "<span class=\"st\">\(text)</span>"
        case .interpolation: return "<span class=\"ip\">\(text)</span>"
        case .comment: return "<span class=\"co\">\(text)</span>"
        case .label: return "<span class=\"lb\">\(text)</span>"
        case .call: return "<span class=\"fn\">\(text)</span>"
        case .identifier, .operator, .punctuation, .whitespace, .other: return text
        }
    }.joined()
}

/// The headings of a page in order, each with an id unique in the page, made from its
/// words (`2-views-of-one-image`; a repeat gets `-2`, `-3`, …).
public struct HeadingAnchors: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var id: String
    }

    public private(set) var entries: [Entry] = []
    private var used: Set<String> = []

    public init() {}

    /// Records a heading and returns its id.
    mutating func add(level: Int, text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                slug.append(character)
            } else if (character == " " || character == "-") && !slug.isEmpty && !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "section" }
        var id = slug
        var n = 2
        while used.contains(id) {
            id = "\(slug)-\(n)"
            n += 1
        }
        used.insert(id)
        entries.append(Entry(level: level, text: text, id: id))
        return id
    }
}
