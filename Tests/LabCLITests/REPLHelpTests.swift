import Display
import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

/// A REPL over a lab session (quick mode, `width` columns) fed `lines`: what it wrote, and
/// the prompts it showed.
func replSession(_ lines: [String?], width: Int = 80, configure: (REPLHost, ScriptSession) -> Void = { _, _ in })
    -> (text: String, prompts: [String]) {
    let session = ScriptSession(.init(quick: true), output: BufferOutputSink())
    session.display = DisplaySettings(terminal: TerminalCapabilities(width: width))
    let host = REPLHost(session: session)
    configure(host, session)
    var text = ""
    host.interpreter.output = ClosureSink { text += $0 }
    let input = ScriptedLines(lines)
    REPL(host: host, input: input) { text += $0 }.run(showWelcome: false)
    return (text, input.prompts)
}

/// Help that reads well in the REPL: wrapped to the width, searched with `??word`, paged
/// when long.
final class REPLHelpTests: XCTestCase {
    func transcript(_ lines: [String?], width: Int = 80, configure: (REPLHost, ScriptSession) -> Void = { _, _ in })
        -> String {
        replSession(lines, width: width, configure: configure).text
    }

    func testHelpIsWrappedToTheTerminalWidth() {
        let narrow = transcript(["?train"], width: 50)
        let lines = narrow.split(separator: "\n", omittingEmptySubsequences: false)
        let prose = lines.prefix { $0 != "  Example:" }
        XCTAssertGreaterThan(prose.count, 10, narrow)
        for line in prose { XCTAssertLessThanOrEqual(line.displayWidth, 50, String(line)) }
        // Nothing is lost: the summary reads the same once the lines are joined again.
        XCTAssertTrue(narrow.replacingOccurrences(of: "\n  ", with: " ")
            .contains("Trains an encoder with a self-supervised (or supervised) method;"), narrow)
        // A long signature breaks after a comma and goes on under its first parameter.
        XCTAssertTrue(lines[0].hasPrefix("train(") && lines[0].hasSuffix(","), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("      ") && !lines[1].hasPrefix("       "), String(lines[1]))
        // help(train) in code wraps the same way; a wide terminal keeps the summary on one line.
        XCTAssertEqual(transcript(["help(train)"], width: 50), narrow)
        let wide = transcript(["?train"], width: 300)
        XCTAssertTrue(wide.contains("\n  Trains an encoder with a self-supervised (or supervised) method; returns the run"), wide)
    }

    func testAproposRanksNameMatchesFirst() {
        let text = transcript(["??std", ":apropos STD", ":apropos", "??zzqx"])
        let answers = text.components(separatedBy: "Builtins that mention ")
        XCTAssertEqual(answers.count, 3, text)
        XCTAssertEqual(answers[1].replacingOccurrences(of: "'std'", with: "'STD'"), answers[2].components(separatedBy: "??word")[0])
        let names = answers[1].split(separator: "\n").dropFirst().map { $0.split(separator: " ")[0] }
        // The name itself, then names containing it, then the summaries that mention it.
        XCTAssertEqual(Array(names.prefix(2)), ["std", "embedding_std"], text)
        XCTAssertTrue(names.dropFirst(2).allSatisfy { !$0.contains("std") }, text)
        XCTAssertGreaterThan(names.count, 2, "summaries that mention std (e.g. bar's) follow: \(text)")
        XCTAssertTrue(text.contains("??word and :apropos need a word, e.g. ??probe"), text)
        XCTAssertTrue(text.contains("no builtin's name or summary mentions 'zzqx'"), text)
        for line in answers[1].split(separator: "\n") { XCTAssertLessThanOrEqual(line.displayWidth, 80, String(line)) }
    }

    func testBannerAndHelpAdvertiseHelpAndApropos() {
        XCTAssertTrue(REPL.welcome.contains("help() lists the builtins, ?name shows one, ??word searches them."))
        let text = transcript([":help"])
        XCTAssertTrue(text.contains("help() lists the builtins"), text)
        XCTAssertTrue(text.contains(":apropos WORD"), text)
    }

    func testLongHelpGoesToThePagerAndShortTextDoesNot() {
        var paged: [String] = []
        let text = transcript(["?train", "??std", ":vars"]) { host, session in
            host.pager = { paged.append($0); return true }
            session.context.state.helpSink = { paged.append($0) }
        }
        XCTAssertEqual(paged.count, 2)
        XCTAssertTrue(paged[0].hasPrefix("train("), paged[0])
        XCTAssertEqual(text, "no variables yet\n")
        // help(name) in code goes to the session's help sink (the REPL's pager).
        _ = transcript(["help(seed)"]) { _, session in session.context.state.helpSink = { paged.append($0) } }
        XCTAssertTrue(paged.last?.hasPrefix("seed(n)") ?? false)
    }

    func testThePagerPagesOnlyWhatIsLongerThanTheScreen() throws {
        let pager = Pager(command: "unused", rows: 5, columns: 20)
        XCTAssertFalse(pager.needsPaging("1\n2\n3\n4"))
        XCTAssertTrue(pager.needsPaging("1\n2\n3\n4\n5"))
        XCTAssertTrue(pager.needsPaging(String(repeating: "模", count: 25) + "\n2\n3"), "50 columns take 3 rows")
        XCTAssertEqual(Pager.command(environment: ["PAGER": "most"]), "most")
        XCTAssertEqual(Pager.command(environment: ["PAGER": " "]), "less -R")
        XCTAssertEqual(Pager.command(environment: [:]), "less -R")
        // The text reaches the pager's standard input whole.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pager-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = (1...30).map { "line \($0) 自监督" }.joined(separator: "\n") + "\n"
        XCTAssertTrue(Pager(command: "cat > '\(file.path)'", rows: 10, columns: 80).page(text))
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), text)
        XCTAssertFalse(Pager(command: "cat > '\(file.path)'", rows: 10, columns: 80).page("short\n"))
        XCTAssertFalse(Pager(command: "no-such-pager-xyz", rows: 10, columns: 80).page(text), "a missing pager: the REPL writes the text")
    }
}
