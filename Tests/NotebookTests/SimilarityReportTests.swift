import XCTest
@testable import Notebook

/// The parts of the similarity report: normalisation, winnowing, the starter and the
/// class's common code, scores, regions, rendering and determinism.
final class SimilarityReportTests: XCTestCase {
    typealias P = SimilarityFingerprinter

    static let kept: Set<String> = ["exp", "log", "sum", "normalize", "rows"]

    func codes(_ code: String) -> [UInt64] { P.normalise(code, keptNames: Self.kept).map(\.code) }

    func test_namesLiteralsAndLayoutAreNormalised() {
        let original = """
        fn loss(a, b, t = 0.5) {
            s = exp(a @ b.T / t)   # similarities
            return sum(log(s), axis: 1) + "x"
        }
        """
        let disguised = """
        # renamed, and on fewer lines
        fn f(x, y, tau = 2) { m = exp(x @ y.T / tau); return sum(log(m),
                                                                  axis: 1) + "other" }
        """
        XCTAssertEqual(codes(original), codes(disguised))
        // Builtins, fields and argument labels are kept as written.
        XCTAssertNotEqual(codes(original), codes(original.replacingOccurrences(of: "exp(", with: "normalize(")))
        XCTAssertNotEqual(codes(original), codes(original.replacingOccurrences(of: "b.T", with: "b.shape")))
        XCTAssertNotEqual(codes(original), codes(original.replacingOccurrences(of: "axis:", with: "dim:")))
        // Lines are those of the original text.
        XCTAssertEqual(P.normalise(original, keptNames: Self.kept).map(\.line).last, 4)
    }

    func test_winnowingKeepsOnePositionInEveryWindow() {
        var state: UInt64 = 12345
        let hashes = (0..<200).map { _ -> UInt64 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 40
        }
        let chosen = P.winnow(hashes, window: 4)
        XCTAssertEqual(chosen, chosen.sorted())
        XCTAssertEqual(Set(chosen).count, chosen.count)
        for start in 0...(hashes.count - 4) {
            let window = start..<(start + 4)
            XCTAssertTrue(chosen.contains { window.contains($0) && hashes[$0] == hashes[window].min() }, "window at \(start)")
        }
        XCTAssertLessThan(chosen.count, hashes.count / 2, "winnowing thins the k-grams")
        XCTAssertEqual(P.winnow([5, 3, 3, 9, 1], window: 2), [1, 2, 4])
    }

    /// A body long enough to give a dozen fingerprints, with its names chosen by `name`.
    func body(_ name: (String) -> String) -> String {
        """
        fn \(name("f"))(\(name("a")), \(name("b"))) {
            \(name("n")) = rows(\(name("a")))
            \(name("s")) = exp(\(name("a")) @ \(name("b")).T / 2)
            \(name("d")) = sum(\(name("s")), axis: 1) + sum(exp(\(name("a"))), axis: 0)
            \(name("p")) = log(\(name("d"))) - log(sum(\(name("s")) * \(name("s")), axis: 1))
            return sum(\(name("p"))) / (2 * \(name("n"))) + log(\(name("n")) + 1)
        }
        """
    }

    func test_renamedAndReorderedCopiesAreFlagged() {
        let other = """
        fn g(x) {
            y = normalize(x)
            for i in range(rows(x)) { y = y + exp(x) * i }
            return log(sum(y * y, axis: 1))
        }
        """
        let original = SimilaritySubmission(student: "a", cells: ["c": body { $0 } + "\n" + other])
        let renamedOther = """
        fn helper(input) {
            out = normalize(input)
            for k in range(rows(input)) { out = out + exp(input) * k }
            return log(sum(out * out, axis: 1))
        }
        """
        let copy = SimilaritySubmission(student: "b", cells: ["c": renamedOther + "\n\n" + body { $0 + "_2" }])
        let report = SimilarityReport.analyse([original, copy], starter: [:])
        XCTAssertEqual(report.pairs.count, 1)
        XCTAssertGreaterThan(report.pairs[0].score, 0.8)
    }

    func test_starterCodeIsNotEvidence() {
        let starter = ["c": body { $0 }]
        let a = SimilaritySubmission(student: "a", cells: ["c": body { $0 }])
        let b = SimilaritySubmission(student: "b", cells: ["c": body { $0.uppercased() }])
        XCTAssertEqual(SimilarityReport.analyse([a, b], starter: [:]).pairs.count, 1)
        let report = SimilarityReport.analyse([a, b], starter: starter)
        XCTAssertEqual(report.pairs.count, 0)
        XCTAssertEqual(report.allPairs.map(\.shared), [0])
    }

    /// Code that more than half the class wrote is the class's common answer: two hand-ins
    /// that share only it are not flagged, and two that share more still are.
    func test_codeCommonToTheClassIsDiscounted() {
        let common = body { $0 }
        let own = ["fn u(x) { return log(exp(x) + rows(x) * 3) - sum(x, axis: 0) * normalize(x) }",
                   "fn v(y) {\n for i in range(4) { y = y * i + 1 }\n while rows(y) > 3 { y = y[1:] }\n return [y, exp(y)]\n}",
                   "fn w(z) { if rows(z) > 2 { return exp(z) } else { return log(z) } }",
                   "fn t(q) { return [q, q, q] }"]
        // These hand-ins are mostly the shared cell, so by default they are near copies of
        // one another (one source, below); here every hand-in is its own source, to see
        // the discount itself.
        let separate = SimilarityOptions(sameSource: 1.01)
        var students = own.enumerated().map { SimilaritySubmission(student: "s\($0.offset)", cells: ["c": common, "d": $0.element]) }
        let alone = SimilarityReport.analyse(Array(students.prefix(2)), starter: [:], options: separate)
        XCTAssertEqual(alone.pairs.count, 1, "two hand-ins sharing the code are alike")
        XCTAssertEqual(alone.commonFingerprints, 0)
        let report = SimilarityReport.analyse(students, starter: [:], options: separate)
        XCTAssertGreaterThan(report.commonFingerprints, 8)
        XCTAssertEqual(report.pairs.count, 0)

        // By default they are one source: nothing is common, and every pair is flagged.
        let oneSource = SimilarityReport.analyse(students, starter: [:])
        XCTAssertEqual(oneSource.commonFingerprints, 0)
        XCTAssertEqual(oneSource.pairs.count, 6)

        students.append(SimilaritySubmission(student: "copy", cells: ["c": common, "d": own[1].replacingOccurrences(of: "y", with: "k")]))
        let withCopy = SimilarityReport.analyse(students, starter: [:], options: separate)
        XCTAssertEqual(withCopy.pairs.map { [$0.first, $0.second] }, [["s1", "copy"]])
    }

    /// Renamed copies of one answer handed in by most of a class are not its common
    /// answer: hand-ins identical after normalisation count once when deciding that.
    func test_manyCopiesOfOneAnswerAreStillFlagged() {
        var students = (0..<5).map { number in
            SimilaritySubmission(student: "copy\(number)", cells: ["c": body { $0 + String(number) }])
        }
        students.append(SimilaritySubmission(student: "x", cells: ["c": "fn u(x) {\n return log(exp(x) + rows(x) * 3) - sum(x, axis: 0) * normalize(x)\n}"]))
        students.append(SimilaritySubmission(student: "y", cells: ["c": "fn w(z) {\n if rows(z) > 2 { return exp(z) } else { return log(z) }\n}"]))
        let report = SimilarityReport.analyse(students, starter: [:])
        XCTAssertEqual(report.commonFingerprints, 0)
        XCTAssertEqual(report.pairs.count, 10)
        XCTAssertTrue(report.pairs.allSatisfy { $0.first.hasPrefix("copy") && $0.second.hasPrefix("copy") && $0.score == 1 })
        XCTAssertEqual(report.groups, [(0..<5).map { "copy\($0)" }])
    }

    /// A class of copies gives many pairs: the groups name every flagged hand-in, and the
    /// HTML shows only the most similar pairs side by side, saying how many it left out.
    func test_aClassOfCopiesIsSummarisedByGroups() {
        let students = (0..<10).map { number in
            SimilaritySubmission(student: "copy\(number)", cells: ["c": body { $0 + String(number) }])
        }
        let report = SimilarityReport.analyse(students, starter: [:])
        XCTAssertEqual(report.pairs.count, 45)
        XCTAssertEqual(report.groups.map(\.count), [10])
        let html = report.html()
        XCTAssertEqual(html.components(separatedBy: "class=\"similar-pair\"").count - 1, SimilarityReport.pairsSideBySide)
        XCTAssertTrue(html.contains("The other 20 flagged pairs are left out here"), html)
        XCTAssertTrue(report.markdown().contains("- 10 hand-ins: copy0, copy1, copy2"), report.markdown())
    }

    func test_aFewSharedFingerprintsAreNotEnough() {
        let a = SimilaritySubmission(student: "a", cells: ["c": "fn f(x) { return sum(exp(x) * 2, axis: 1) }"])
        let b = SimilaritySubmission(student: "b", cells: ["c": "fn g(y) { return sum(exp(y) * 3, axis: 1) }"])
        let report = SimilarityReport.analyse([a, b], starter: [:])
        XCTAssertEqual(report.allPairs.first?.score, 1)
        XCTAssertLessThan(report.allPairs.first?.shared ?? 99, SimilarityOptions().minimumShared)
        XCTAssertTrue(report.pairs.isEmpty)
    }

    func test_regionsPairTheMatchingLines() throws {
        let unrelated = "fn q(x) {\n    for i in range(3) { x = [x, i] }\n    return x\n}\n"
        let a = SimilaritySubmission(student: "a", cells: ["c": body { $0 }])
        let b = SimilaritySubmission(student: "b", cells: ["other": unrelated, "c": unrelated + "\n" + body { $0 + "x" }])
        let pair = try XCTUnwrap(SimilarityReport.analyse([a, b], starter: [:]).pairs.first)
        XCTAssertEqual(pair.regions.count, 1, "\(pair.regions)")
        let region = pair.regions[0]
        XCTAssertEqual(region.firstCell, "c")
        XCTAssertEqual(region.secondCell, "c")
        XCTAssertEqual(region.firstLines.lowerBound + 5, region.secondLines.lowerBound)
        XCTAssertEqual(region.firstLines.upperBound + 5, region.secondLines.upperBound)
        XCTAssertGreaterThanOrEqual(region.firstLines.count, 5)
    }

    func test_sameClassSameReportInAnyOrder() {
        let class1 = [SimilaritySubmission(student: "a", cells: ["c": body { $0 }]),
                      SimilaritySubmission(student: "b", cells: ["c": body { $0 + "1" }]),
                      SimilaritySubmission(student: "c", cells: ["c": "fn g(x) { return log(x) }"])]
        let one = SimilarityReport.analyse(class1, starter: [:])
        let two = SimilarityReport.analyse(class1.reversed(), starter: [:])
        XCTAssertEqual(one.allPairs.map(\.score).sorted(), two.allPairs.map(\.score).sorted())
        XCTAssertEqual(one.pairs.map { Set([$0.first, $0.second]) }, two.pairs.map { Set([$0.first, $0.second]) })
        XCTAssertEqual(one.markdown(), SimilarityReport.analyse(class1, starter: [:]).markdown())
        XCTAssertEqual(one.html(), SimilarityReport.analyse(class1, starter: [:]).html())
    }

    func test_markdownAndHTMLAreEscaped() {
        let code = body { $0 } + "\nfn h(x) { return x < 2 }\n"
        let report = SimilarityReport.analyse([SimilaritySubmission(student: "<b>Ann & Co|</b>", cells: ["c": code]),
                                               SimilaritySubmission(student: "bob", cells: ["c": code])], starter: [:])
        XCTAssertEqual(report.pairs.count, 1)
        let html = report.html()
        XCTAssertTrue(html.hasPrefix("<section class=\"similarity\">"))
        XCTAssertFalse(html.contains("<html") || html.contains("<body"))
        XCTAssertTrue(html.contains("&lt;b&gt;Ann &amp; Co|&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<b>"))
        XCTAssertTrue(html.contains("x &lt; 2"), html)
        XCTAssertTrue(html.contains("1.00"))
        let markdown = report.markdown()
        XCTAssertTrue(markdown.hasPrefix("## Similarity\n"))
        XCTAssertTrue(markdown.contains("\\<b>Ann & Co\\|\\</b>"), markdown)
        XCTAssertTrue(markdown.contains("| 1.00 |"))

        let none = SimilarityReport.analyse([SimilaritySubmission(student: "a", cells: ["c": code])], starter: [:])
        XCTAssertTrue(none.markdown().contains("No two hand-ins are unusually alike (0 pairs compared)."))
        XCTAssertFalse(none.html().contains("similar-pair"))
    }
}
