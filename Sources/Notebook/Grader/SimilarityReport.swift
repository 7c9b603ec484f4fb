import Display
import LabSupport

/// Lines of one hand-in that match lines of another: `firstLines` of cell `firstCell` in
/// the pair's first hand-in, `secondLines` of `secondCell` in the second (1-based lines of
/// the cell's code).
public struct SimilarRegion: Sendable, Equatable {
    public var firstCell: String
    public var firstLines: ClosedRange<Int>
    public var secondCell: String
    public var secondLines: ClosedRange<Int>
}

/// Two hand-ins and how alike they are.
public struct SimilarPair: Sendable {
    public var first: String
    public var second: String
    /// Shared fingerprints over the fingerprints of the smaller of the two (0…1).
    public var score: Double
    /// Fingerprints the two share (after the starter's and the class's common ones are removed).
    public var shared: Int
    /// The matching lines, in the first hand-in's order; filled for flagged pairs only.
    public var regions: [SimilarRegion]
}

/// Which hand-ins of a class are unusually alike, in the manner of MOSS (Schleimer,
/// Wilkerson and Aiken, "Winnowing: local algorithms for document fingerprinting", 2003):
///
/// 1. each exercise cell's code is tokenised by LabScript's lexer and normalised
///    (`SimilarityFingerprinter.normalise`: names that are not builtins become one
///    placeholder, numbers and strings another each, comments and layout vanish);
/// 2. every k-gram of tokens is hashed with a fixed hash and winnowed to fingerprints;
/// 3. fingerprints of the starter's code (any k-gram of any starter cell) are removed, and
///    so are those found in more than `commonShare` of the class (short exercises make
///    correct answers converge), counting near copies of each other as one source
///    (`sameSource`);
/// 4. a pair's score is |F(a) ∩ F(b)| / min(|F(a)|, |F(b)|) over those fingerprint sets;
///    a pair is flagged when the score reaches `threshold` and they share at least
///    `minimumShared` fingerprints.
///
/// Fingerprints form a set, so the order of functions and cells does not matter. Nothing
/// is random: the same class gives the same report.
public struct SimilarityReport: Sendable {
    public var submissions: [SimilaritySubmission]
    public var options: SimilarityOptions
    /// Flagged pairs, most similar first.
    public var pairs: [SimilarPair]
    /// Every pair of hand-ins with its score, most similar first (regions only on flagged ones).
    public var allPairs: [SimilarPair]
    /// Distinct fingerprints ignored as the class's common code.
    public var commonFingerprints: Int

    public static func analyse(_ submissions: [SimilaritySubmission], starter: [String: String],
                               options: SimilarityOptions = .init()) -> SimilarityReport {
        var starterHashes = Set<UInt64>()
        for code in starter.values {
            let tokens = SimilarityFingerprinter.normalise(code, keptNames: options.keptNames)
            starterHashes.formUnion(SimilarityFingerprinter.kgramHashes(tokens, k: options.k))
        }
        let prints = submissions.map { fingerprints(of: $0, removing: starterHashes, options: options) }
        // Near copies of one another (renamed, reordered, a few lines changed) are one
        // source here: copies of one answer handed in by much of a class must not make it
        // look like the class's common answer. Sources are joined transitively.
        let raw = prints.map { Set($0.keys) }
        var parent = Array(raw.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for i in raw.indices {
            for j in raw.indices where j > i {
                let smaller = min(raw[i].count, raw[j].count)
                guard smaller > 0,
                      Double(raw[i].intersection(raw[j]).count) / Double(smaller) >= options.sameSource else { continue }
                parent[root(j)] = root(i)
            }
        }
        var sources: [Int: Set<UInt64>] = [:]
        for i in raw.indices { sources[root(i), default: []].formUnion(raw[i]) }
        var count: [UInt64: Int] = [:]
        for print in sources.values { for hash in print { count[hash, default: 0] += 1 } }
        let limit = options.commonShare * Double(sources.count)
        let common = Set(count.filter { $0.value >= options.commonMinimum && Double($0.value) > limit }.keys)
        let sets = prints.map { Set($0.keys).subtracting(common) }

        var all: [SimilarPair] = []
        for i in submissions.indices {
            for j in submissions.indices where j > i {
                let shared = sets[i].intersection(sets[j])
                let smaller = min(sets[i].count, sets[j].count)
                let score = smaller == 0 ? 0 : Double(shared.count) / Double(smaller)
                var pair = SimilarPair(first: submissions[i].student, second: submissions[j].student,
                                       score: score, shared: shared.count, regions: [])
                if score >= options.threshold && shared.count >= options.minimumShared {
                    pair.regions = regions(shared: shared, first: prints[i], second: prints[j])
                }
                all.append(pair)
            }
        }
        all.sort {
            ($0.score, $0.shared, $1.first, $1.second) > ($1.score, $1.shared, $0.first, $0.second)
        }
        let flagged = all.filter { $0.score >= options.threshold && $0.shared >= options.minimumShared }
        return SimilarityReport(submissions: submissions, options: options, pairs: flagged, allPairs: all,
                                commonFingerprints: common.count)
    }

    /// The fingerprints of a submission's cells (in id order), each with where it was taken.
    static func fingerprints(of submission: SimilaritySubmission, removing starter: Set<UInt64>,
                             options: SimilarityOptions) -> [UInt64: [FingerprintSite]] {
        var sites: [UInt64: [FingerprintSite]] = [:]
        for (cell, code) in submission.cells.sorted(by: { $0.key < $1.key }) {
            let tokens = SimilarityFingerprinter.normalise(code, keptNames: options.keptNames)
            let hashes = SimilarityFingerprinter.kgramHashes(tokens, k: options.k)
            for position in SimilarityFingerprinter.winnow(hashes, window: options.window)
            where !starter.contains(hashes[position]) {
                let lines = tokens[position].line...tokens[position + options.k - 1].line
                sites[hashes[position], default: []].append(FingerprintSite(cell: cell, lines: lines))
            }
        }
        return sites
    }

    /// The shared fingerprints' sites, paired and merged into regions: matches that touch
    /// or overlap in both hand-ins (same cells) become one region; a region covered on
    /// both sides by larger ones is left out.
    static func regions(shared: Set<UInt64>, first: [UInt64: [FingerprintSite]],
                        second: [UInt64: [FingerprintSite]]) -> [SimilarRegion] {
        var matches: [SimilarRegion] = []
        for hash in shared {
            for a in first[hash] ?? [] {
                for b in second[hash] ?? [] {
                    matches.append(SimilarRegion(firstCell: a.cell, firstLines: a.lines, secondCell: b.cell, secondLines: b.lines))
                }
            }
        }
        func touches(_ x: ClosedRange<Int>, _ y: ClosedRange<Int>) -> Bool {
            x.lowerBound <= y.upperBound + 1 && y.lowerBound <= x.upperBound + 1
        }
        func union(_ x: ClosedRange<Int>, _ y: ClosedRange<Int>) -> ClosedRange<Int> {
            min(x.lowerBound, y.lowerBound)...max(x.upperBound, y.upperBound)
        }
        var merged: [SimilarRegion] = []
        var changed = true
        var pending = matches
        while changed {
            changed = false
            // A total order, so that the result does not depend on the order of a Set.
            pending.sort {
                ($0.firstCell, $0.firstLines.lowerBound, $0.firstLines.upperBound,
                 $0.secondCell, $0.secondLines.lowerBound, $0.secondLines.upperBound)
                    < ($1.firstCell, $1.firstLines.lowerBound, $1.firstLines.upperBound,
                       $1.secondCell, $1.secondLines.lowerBound, $1.secondLines.upperBound)
            }
            merged = []
            for match in pending {
                if let index = merged.firstIndex(where: {
                    $0.firstCell == match.firstCell && $0.secondCell == match.secondCell
                        && touches($0.firstLines, match.firstLines) && touches($0.secondLines, match.secondLines)
                }) {
                    merged[index].firstLines = union(merged[index].firstLines, match.firstLines)
                    merged[index].secondLines = union(merged[index].secondLines, match.secondLines)
                    changed = true
                } else {
                    merged.append(match)
                }
            }
            if merged.count == pending.count { changed = false }
            pending = merged
        }
        // A short fragment written twice (`a = normalize(z1)` in two functions) matches in
        // several places; a region whose lines on both sides are already inside other
        // regions shows nothing new.
        return merged.enumerated().filter { index, region in
            let others = merged.enumerated().filter { $0.offset != index }.map(\.element)
            let firstShown = others.contains { $0.firstCell == region.firstCell && $0.firstLines.count > region.firstLines.count
                && $0.firstLines.contains(region.firstLines.lowerBound) && $0.firstLines.contains(region.firstLines.upperBound) }
            let secondShown = others.contains { $0.secondCell == region.secondCell && $0.secondLines.count > region.secondLines.count
                && $0.secondLines.contains(region.secondLines.lowerBound) && $0.secondLines.contains(region.secondLines.upperBound) }
            return !(firstShown && secondShown)
        }.map(\.element)
    }

    // MARK: rendering

    /// The flagged hand-ins joined by their flagged pairs (transitively): each group is a
    /// set of hand-ins to read together, largest first, names in order.
    public var groups: [[String]] {
        var parent: [String: String] = [:]
        func root(_ name: String) -> String {
            var name = name
            while let up = parent[name], up != name { name = up }
            return name
        }
        for pair in pairs {
            if parent[pair.first] == nil { parent[pair.first] = pair.first }
            if parent[pair.second] == nil { parent[pair.second] = pair.second }
            let (a, b) = (root(pair.first), root(pair.second))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var members: [String: [String]] = [:]
        for name in parent.keys { members[root(name), default: []].append(name) }
        return members.values.map { $0.sorted() }.sorted { ($0.count, $1[0]) > ($1.count, $0[0]) }
    }

    /// How many flagged pairs the Markdown table and the HTML side-by-side views show (the
    /// most similar first); the groups list every flagged hand-in.
    public static let pairsInTable = 100
    public static let pairsSideBySide = 25

    private func groupLines() -> [String] {
        groups.map { group in
            Messages.text("{count} hand-ins: {names}", ["count": String(group.count), "names": group.joined(separator: ", ")])
        }
    }

    private func leftOutLine(_ shown: Int) -> String? {
        guard pairs.count > shown else { return nil }
        return Messages.text("The other {count} flagged pairs are left out here; the groups above name every flagged hand-in.",
                             ["count": String(pairs.count - shown)])
    }

    private var summaryLine: String {
        let total = submissions.count * (submissions.count - 1) / 2
        if pairs.isEmpty {
            return Messages.text("No two hand-ins are unusually alike ({total} pairs compared).", ["total": String(total)])
        }
        return Messages.text("Pairs of hand-ins that are unusually alike: {count} of {total}.",
                             ["count": String(pairs.count), "total": String(total)])
    }

    private var methodLine: String {
        Messages.text("Score: the share of the smaller hand-in's fingerprints (runs of {k} tokens, with names, numbers and layout normalised, without the starter code and without code that more than {share} of the class's sources wrote, near copies of each other counting as one source) that the other hand-in has too; flagged from {threshold}.",
                      ["k": String(options.k), "share": Self.percent(options.commonShare),
                       "threshold": Self.format(options.threshold)])
    }

    private func regionList(_ pair: SimilarPair) -> String {
        pair.regions.map { region in
            "\(region.firstCell) \(Self.lines(region.firstLines)) ↔ \(region.secondCell) \(Self.lines(region.secondLines))"
        }.joined(separator: "; ")
    }

    /// A section for a Markdown summary: a heading, the method in one sentence and a table
    /// of the flagged pairs (score, shared fingerprints, matching lines per cell). Without
    /// `heading`, the section's body only (for a summary that writes its own heading).
    public func markdown(heading: Bool = true) -> String {
        var out = heading ? "## \(markdownEscape(Messages.text("Similarity")))\n\n" : ""
        out += markdownEscape(summaryLine) + "\n\n" + markdownEscape(methodLine) + "\n"
        guard !pairs.isEmpty else { return out }
        out += "\n" + markdownEscape(Messages.text("Groups of hand-ins joined by flagged pairs:")) + "\n\n"
        out += groupLines().map { "- " + markdownEscape($0) }.joined(separator: "\n") + "\n"
        let header = [Messages.text("hand-in"), Messages.text("hand-in"), Messages.text("score"),
                      Messages.text("shared"), Messages.text("matching lines")]
        out += "\n| " + header.map { markdownEscape($0) }.joined(separator: " | ") + " |\n"
        out += "|---|---|---:|---:|---|\n"
        for pair in pairs.prefix(Self.pairsInTable) {
            let row = [pair.first, pair.second, Self.format(pair.score), String(pair.shared), regionList(pair)]
            out += "| " + row.map { markdownEscape($0) }.joined(separator: " | ") + " |\n"
        }
        if let line = leftOutLine(Self.pairsInTable) { out += "\n" + markdownEscape(line) + "\n" }
        return out
    }

    /// A section for an HTML summary (a fragment, no `<html>`): each flagged pair with its
    /// score and its matching regions side by side, the matching lines marked. Every name
    /// and line of code is escaped with `xmlEscape`. Without `heading`, no `<h2>`.
    public func html(heading: Bool = true) -> String {
        var out = "<section class=\"similarity\">\n"
        if heading { out += "<h2>\(xmlEscape(Messages.text("Similarity")))</h2>\n" }
        out += "<p>\(xmlEscape(summaryLine))</p>\n<p>\(xmlEscape(methodLine))</p>\n"
        let byStudent = Dictionary(submissions.map { ($0.student, $0) }, uniquingKeysWith: { first, _ in first })
        if !pairs.isEmpty {
            out += "<p>\(xmlEscape(Messages.text("Groups of hand-ins joined by flagged pairs:")))</p>\n<ul>\n"
            out += groupLines().map { "<li>\(xmlEscape($0))</li>\n" }.joined() + "</ul>\n"
        }
        for pair in pairs.prefix(Self.pairsSideBySide) {
            out += "<div class=\"similar-pair\">\n<h3>\(xmlEscape(pair.first)) ↔ \(xmlEscape(pair.second)): "
                + "\(xmlEscape(Messages.text("score"))) \(Self.format(pair.score)), "
                + "\(xmlEscape(Messages.text("shared"))) \(pair.shared)</h3>\n"
            out += "<table>\n<tr><th>\(xmlEscape(pair.first))</th><th>\(xmlEscape(pair.second))</th></tr>\n"
            for region in pair.regions {
                let left = Self.excerpt(byStudent[pair.first]?.cells[region.firstCell] ?? "", region.firstLines)
                let right = Self.excerpt(byStudent[pair.second]?.cells[region.secondCell] ?? "", region.secondLines)
                out += "<tr><td>\(xmlEscape(region.firstCell)) \(Self.lines(region.firstLines))<pre>\(left)</pre></td>"
                    + "<td>\(xmlEscape(region.secondCell)) \(Self.lines(region.secondLines))<pre>\(right)</pre></td></tr>\n"
            }
            out += "</table>\n</div>\n"
        }
        if let line = leftOutLine(Self.pairsSideBySide) { out += "<p>\(xmlEscape(line))</p>\n" }
        return out + "</section>\n"
    }

    /// The lines of `code` in `range`, escaped, each with its number.
    private static func excerpt(_ code: String, _ range: ClosedRange<Int>) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        return range.compactMap { number -> String? in
            guard number >= 1 && number <= lines.count else { return nil }
            return "\(number)  " + xmlEscape(String(lines[number - 1]))
        }.joined(separator: "\n")
    }

    private static func lines(_ range: ClosedRange<Int>) -> String {
        range.count == 1 ? "L\(range.lowerBound)" : "L\(range.lowerBound)–\(range.upperBound)"
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    private static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
