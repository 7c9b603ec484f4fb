import Foundation
import XCTest
@testable import LabScript
import Notebook

/// The highlighter is a lexer of its own (it must accept any text and never fail), so it
/// could drift from the language's. On every lesson, exercise and script fixture, each
/// name, keyword and number the real lexer finds must be one highlighter token with the
/// same text, coloured as what it is.
final class HighlighterAgreesWithLexerTests: XCTestCase {
    func testEveryNameKeywordAndNumberIsOneHighlighterToken() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var files: [URL] = []
        for folder in ["Lessons", "Tests/LabScriptTests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "lab" { files.append(url) }
            }
        }
        XCTAssertGreaterThan(files.count, 100)
        var checked = 0
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            var lexer = Lexer(file: SourceFile(name: url.lastPathComponent, text: text))
            let tokens = lexer.tokenize()
            guard lexer.diagnostics.isEmpty else { continue }  // fixtures about lexer errors
            var shownAt: [Int: HighlightToken] = [:]  // by UTF-8 offset
            var offset = 0
            for token in LabScriptHighlighter.tokens(text) {
                shownAt[offset] = token
                offset += token.text.utf8.count
            }
            let bytes = Array(text.utf8)
            for token in tokens {
                let kinds: Set<HighlightKind>
                switch token.kind {
                case .identifier: kinds = [.identifier, .call, .label]
                case .number: kinds = [.number]
                case let kind where TokenKind.keywords.values.contains(kind): kinds = [.keyword]
                default: continue
                }
                let word = String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
                let place = "\(url.lastPathComponent) at byte \(token.range.start)"
                guard let shown = shownAt[token.range.start] else {
                    XCTFail("\(place): no highlighter token starts at '\(word)'")
                    continue
                }
                XCTAssertEqual(shown.text, word, place)
                XCTAssertTrue(kinds.contains(shown.kind), "\(place): '\(word)' is highlighted as \(shown.kind)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }
}
