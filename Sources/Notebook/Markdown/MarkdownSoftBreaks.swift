import LabSupport

/// Markdown prose for a renderer that reads a soft line break as a space (Jupyter, a
/// browser): a line break between two Chinese characters inside a paragraph is removed, as
/// the lab's own renderers join it, so Chinese prose wrapped
/// in the source shows no stray spaces (`MarkdownBlock.softBreakJoins`, the rule the
/// renderers use). Fenced code, headings and blank lines are left as they are; English
/// text is unchanged.
public enum MarkdownSoftBreaks {
    public static func joinedForChinese(_ source: String) -> String {
        var out: [Substring] = []
        var inFence = false
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                out.append(line)
                continue
            }
            if !inFence, let previous = out.last, !previous.drop(while: { $0 == " " }).hasPrefix("#"),
               MarkdownBlock.softBreakJoins(previous, trimmed) {
                out[out.count - 1] = previous + trimmed
                continue
            }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }
}
