import Foundation
import LabBuiltins
import LabScript
import Notebook
import SelfSupervised
import XCTest
@testable import LabCLI

/// One concept, one place: the lists that were once kept in step by hand (keywords, meta
/// commands, tensor methods) have one source that everything else reads. Each test checks
/// the readers agree with the source, and that no second copy of the list has come back
/// into `Sources/` (a file naming several of its entries as string literals).
final class SingleSourceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `Sources/` files (paths relative to the project root) in which at least
    /// `threshold` distinct `names` occur as whole string literals (`"while"`) in code;
    /// comments (such as the grammar in LabScript.swift) may name them freely. Run on the
    /// sources before this test existed, it finds every copy it is about (the keywords in
    /// the highlighter and the completer, the meta commands in REPL+Meta and the
    /// completer, the tensor methods in TensorValue).
    static func filesListing(_ names: Set<String>, threshold: Int) throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let literals = stringLiterals(in: try String(contentsOf: url, encoding: .utf8))
            if literals.intersection(names).count >= threshold {
                found.append(String(url.path.dropFirst(root.path.count + 1)))
            }
        }
        return found.sorted()
    }

    /// The string literals of Swift source outside `//` comments, escapes kept as written
    /// and the code of each interpolation left out (enough to find whole-word literals).
    static func stringLiterals(in text: String) -> Set<String> {
        let c = Array(text)
        func at(_ i: Int) -> Character? { i < c.count ? c[i] : nil }
        func isTripleQuote(_ i: Int) -> Bool { at(i) == "\"" && at(i + 1) == "\"" && at(i + 2) == "\"" }
        var literals = Set<String>()
        var i = 0
        while i < c.count {
            if c[i] == "/" && at(i + 1) == "/" {
                while let d = at(i), d != "\n" { i += 1 }
                continue
            }
            guard c[i] == "\"" else { i += 1; continue }
            let multiline = isTripleQuote(i)
            i += multiline ? 3 : 1
            var literal = ""
            while let d = at(i) {
                if d == "\\" {
                    if at(i + 1) == "(" {
                        var depth = 0
                        i += 1
                        repeat {
                            if c[i] == "(" { depth += 1 } else if c[i] == ")" { depth -= 1 }
                            i += 1
                        } while i < c.count && depth > 0
                        literal += "\\(…)"
                        continue
                    }
                    literal.append(d)
                    if let e = at(i + 1) { literal.append(e) }
                    i += 2
                    continue
                }
                if multiline ? isTripleQuote(i) : d == "\"" {
                    i += multiline ? 3 : 1
                    break
                }
                if !multiline && d == "\n" { break }
                literal.append(d)
                i += 1
            }
            literals.insert(literal)
        }
        return literals
    }

    func testStringLiteralScanner() {
        let source = #"""
            let a = ["fn", "if"]  // "while" in a comment
            let b = "say \(x == "in" ? 1 : 2) \"quoted\" \\"
            let c = """
                for
                """
            let d = "nil"
            """#
        XCTAssertEqual(SingleSourceTests.stringLiterals(in: source),
                       ["fn", "if", #"say \(…) \"quoted\" \\"#, "\n    for\n    ", "nil"])
    }

    // MARK: keywords

    func testKeywordsComeFromTheLexersTable() throws {
        let keywords = Set(TokenKind.keywordNames)
        XCTAssertEqual(keywords.count, 15)
        XCTAssertEqual(LabScriptHighlighter.keywords, keywords, "the highlighter reads the lexer's table")
        for word in keywords {
            XCTAssertEqual(LabScriptHighlighter.tokens(word).first?.kind, .keyword, word)
        }
        XCTAssertEqual(LabScriptHighlighter.tokens("function").first?.kind, .identifier)
        let session = ScriptSession(output: BufferOutputSink())
        let host = REPLHost(session: session)
        host.currentScope = host.interpreter.makeScope()
        for word in keywords {
            XCTAssertTrue(host.completer.complete("x = " + word.prefix(2)).candidates.contains(word), "completion offers \(word)")
        }
        XCTAssertEqual(try SingleSourceTests.filesListing(keywords, threshold: 4), ["Sources/LabScript/Token.swift"],
                       "a second list of the keywords")
    }

    // MARK: meta commands

    func testMetaCommandsHaveOneTable() throws {
        let names = REPL.metaCommands.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        let help = REPL.metaHelp()
        for command in REPL.metaCommands {
            XCTAssertTrue(help.contains("  \(command.usage)  "), "help lists \(command.usage)")
            XCTAssertEqual(REPL.metaCommand(named: command.name)?.name, command.name)
            for alias in command.aliases { XCTAssertEqual(REPL.metaCommand(named: alias)?.name, command.name) }
        }
        let session = ScriptSession(output: BufferOutputSink())
        let host = REPLHost(session: session)
        host.currentScope = host.interpreter.makeScope()
        XCTAssertEqual(host.completer.complete(":").candidates, names, "completion offers the table, in order")
        // The README's one-line summary of the REPL names the same commands.
        let readme = try String(contentsOf: SingleSourceTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try XCTUnwrap(readme.split(separator: "\n").first { $0.hasPrefix("selfsup ") && $0.contains(":help") })
        let listed = line.split(whereSeparator: { " (),".contains($0) }).filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
        XCTAssertEqual(listed, names, "README.md: \(line)")
        // The table names commands without the colon; a list of ":name" literals is a copy.
        let spellings = Set((names + REPL.metaCommands.flatMap(\.aliases)).map { ":" + $0 })
        XCTAssertEqual(try SingleSourceTests.filesListing(spellings, threshold: 3), [], "a second list of the meta commands")
    }

    // MARK: tensor methods

    /// A tensor's methods are the registry entries marked as methods: `x.name(…)` is
    /// `name(x, …)` with the entry's own parameters after the first.
    func testTensorMethodsAreMarkedInTheRegistry() throws {
        let session = BuiltinContext(output: BufferOutputSink())
        let methods = session.registry.functions.filter(\.isMethod)
        XCTAssertGreaterThanOrEqual(methods.count, 31)
        guard case .success(let value?) = session.interpreter.runREPL("randn(2, 3)"), case .host(let tensor) = value else {
            return XCTFail("no tensor")
        }
        for entry in methods {
            XCTAssertTrue(tensor.memberNames.contains(entry.name), entry.name)
            let bound = try XCTUnwrap(tensor.method(entry.name), entry.name)
            XCTAssertEqual(bound.parameters.map(\.name), entry.parameters.dropFirst().map(\.name), entry.name)
        }
        XCTAssertNil(tensor.method("randn"), "a builtin not marked as a method is not one")
        XCTAssertEqual(session.documentation(for: "tensor.sum"), session.documentation(for: "sum"))
        XCTAssertEqual(try SingleSourceTests.filesListing(Set(methods.map(\.name)), threshold: 8)
            .filter { !$0.hasPrefix("Sources/LabBuiltins/Builtins+") }, [],
                       "a second list of the tensor methods")
    }

    // MARK: training methods

    /// The README's lists of methods are the method table's: the self-supervised methods
    /// (every family but the supervised baseline and the collapsing positive-only), and the
    /// methods the PyTorch export writes (the entries that declare their export) with those
    /// it refuses. Adding a method to the table without the README fails here.
    func testTheReadmesMethodListsAreTheTables() throws {
        let readme = try String(contentsOf: SingleSourceTests.root.appendingPathComponent("README.md"), encoding: .utf8)
            .replacingOccurrences(of: "\n", with: " ")
        func list(after start: String, until end: String) throws -> [String] {
            let from = try XCTUnwrap(readme.range(of: start), "README.md has no \"\(start)\"")
            let to = try XCTUnwrap(readme[from.upperBound...].range(of: end), "README.md: \"\(start)\" has no \"\(end)\"")
            return readme[from.upperBound..<to.lowerBound].replacingOccurrences(of: " and ", with: ", ")
                .components(separatedBy: ", ")
        }
        let selfSupervised = TrainingMethods.all.filter { ![.supervised, .collapses].contains($0.family) }.map(\.title)
        XCTAssertEqual(try list(after: "SSL losses and methods (", until: ")"), selfSupervised)
        XCTAssertEqual(try list(after: "it back into the lab. Methods: ", until: " ("), TrainingMethods.exportable.map(\.title))
        let refused = TrainingMethods.all.filter { $0.export == nil }.map(\.title)
        XCTAssertEqual(try list(after: "is lightly's DCLW; ", until: " are refused"), refused)
    }

    /// `selfsup export-pytorch --list-methods` (what Scripts/test-pytorch checks) prints the
    /// exportable entries, one a line; without it a script and a folder are required.
    func testExportPyTorchListsTheExportableMethods() throws {
        let (status, printed) = try SelfsupExecutable.run(["export-pytorch", "--list-methods"])
        XCTAssertEqual(status, 0, printed)
        XCTAssertEqual(printed, TrainingMethods.exportable.map { $0.name + "\n" }.joined())
        XCTAssertTrue(printed.contains("nnclr\n"))
        for arguments in [["export-pytorch"], ["export-pytorch", "x.lab"], ["export-pytorch", "-o", "out"]] {
            let (status, message) = try SelfsupExecutable.run(arguments)
            XCTAssertEqual(status, 2, "\(arguments): \(message)")
            XCTAssertTrue(message.contains("Missing expected argument"), message)
        }
    }

    // MARK: escapers

    /// One escaper per output language: the HTML/XML entities are written in one file
    /// (`xmlEscape`), the escapes only JSON has (`\b`, `\f`, `\u`) in one other
    /// (`JSON.quoted`, which the safetensors header and the PyTorch export share).
    func testOneEscaperPerOutputLanguage() throws {
        XCTAssertEqual(try SingleSourceTests.filesListing(["&amp;", "&lt;", "&gt;", "&quot;"], threshold: 2),
                       ["Sources/Display/SVGWriter.swift"], "a second HTML/XML escaper")
        XCTAssertEqual(try SingleSourceTests.filesListing(["\\\\b", "\\\\f", "\\\\u"], threshold: 2),
                       ["Sources/LabSupport/JSON.swift"], "a second JSON string escaper")
    }

    // MARK: help

    /// `help(name)` in a script, `:help name` and `?name` in the REPL print the same text.
    func testHelpIsOneImplementation() {
        for name in ["relu", "tensor.mean", "nt_xnt", ""] {
            let sink = BufferOutputSink()
            let session = BuiltinContext(output: sink)
            _ = session.run("help(\"\(name)\")", name: "help.lab")
            XCTAssertEqual(sink.text, session.help(name) + "\n", name)
        }
    }
}
