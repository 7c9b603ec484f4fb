import Foundation
import XCTest
@testable import LabSupport

final class MessageCatalogueTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testParsingPO() throws {
        let catalogue = try POCatalog(parsing: """
            # a comment
            msgid ""
            msgstr "Content-Type: text/plain; charset=UTF-8\\n"

            msgid "a \\"quoted\\" {name}"
            msgstr "带引号的 {name}"

            msgid "long"
            msgstr ""
            "first "
            "second\\n"

            msgid "untranslated"
            msgstr ""
            """)
        XCTAssertEqual(catalogue.translations, ["a \"quoted\" {name}": "带引号的 {name}", "long": "first second\n"])
        XCTAssertThrowsError(try POCatalog(parsing: "msgstr \"x\"")) { XCTAssertTrue("\($0)".contains("line 1")) }
        XCTAssertThrowsError(try POCatalog(parsing: "msgid \"a\"\nmsgstr \"b\\q\"")) { XCTAssertTrue("\($0)".contains("line 2")) }
        XCTAssertThrowsError(try POCatalog(parsing: "msgid \"a\nmsgstr \"b\""))
    }

    func testFillingIsOnePass() {
        XCTAssertEqual(POCatalog.fill("{a} and {b}", ["a": "{b}", "b": "2"]), "{b} and 2")
        XCTAssertEqual(POCatalog.fill("{missing} {a}", ["a": "1"]), "{missing} 1")
        XCTAssertEqual(POCatalog.placeholders("第 {number} 课，{a_b}{}"), ["number", "a_b"])
    }

    func testLanguageChoice() {
        XCTAssertEqual(Language.resolve(option: "zh", environment: [:]), .zh)
        XCTAssertEqual(Language.resolve(option: "zh_CN", environment: ["SELFSUP_LANG": "en"]), .zh)
        XCTAssertNil(Language.resolve(option: "fr", environment: [:]))
        XCTAssertEqual(Language.resolve(option: nil, environment: ["SELFSUP_LANG": "zh", "LANG": "en_US.UTF-8"]), .zh)
        XCTAssertEqual(Language.resolve(option: nil, environment: ["LANG": "zh_CN.UTF-8"]), .zh)
        XCTAssertEqual(Language.resolve(option: nil, environment: ["LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"]), .en)
        XCTAssertEqual(Language.resolve(option: nil, environment: [:]), .en)
    }

    /// Every message the sources show through `Messages.text("…")` has its Chinese entry,
    /// with the same placeholders, and the catalogue has no entry nothing uses.
    func testEveryMessageIsTranslatedWithItsPlaceholders() throws {
        let zh = Messages.catalogue(.zh).translations
        XCTAssertFalse(zh.isEmpty, "Resources/zh.po was not found or did not parse")
        var used = Set<String>()
        let sources = Self.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let source = try String(contentsOf: url, encoding: .utf8)
            used.formUnion(Self.messageKeys(in: source))
            // What an argument must be (`args.typeError(name, expected: "a model")`) is
            // translated too, inside the type error's sentence.
            used.formUnion(Self.messageKeys(in: source, after: "expected: \""))
            // The argument errors of the numerical modules (`TensorError.argument(op:
            // template: "axis {axis} is out of range …", values: …)`) are shown through it.
            used.formUnion(Self.messageKeys(in: source, after: "template: \""))
        }
        XCTAssertGreaterThanOrEqual(used.count, 10)
        let names = try Self.exerciseTestNames()
        XCTAssertGreaterThanOrEqual(names.count, 10, "no test names found in Lessons/Exercises")
        // Test names are shown through the catalogue too; that every one of a translated
        // exercise has its entry is ExerciseTranslationTests' to check.
        used.formUnion(names)
        for key in used.sorted() {
            guard let translation = zh[key] else { XCTFail("no Chinese for \"\(key)\""); continue }
            XCTAssertEqual(POCatalog.placeholders(translation).sorted(), POCatalog.placeholders(key).sorted(), key)
        }
        // The builtins' sections translate text the registry holds (summaries, parameter docs),
        // shown through `Messages.text(entry.summary)`: BuiltinTranslationTests holds them.
        let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/LabSupport/Resources/zh.po"), encoding: .utf8)
        let dynamic = try POCatalog.msgidsBySection(text).filter { $0.key.hasPrefix("# builtins") }.values
            .reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertFalse(dynamic.isEmpty, "zh.po has no '# builtins' section")
        for key in Set(zh.keys).subtracting(used).subtracting(dynamic).sorted() {
            XCTFail("zh.po has \"\(key)\", which no source shows")
        }
        XCTAssertEqual(Messages.text("Lesson {number}", ["number": "3"], language: .zh), "第 3 课")
        XCTAssertEqual(Messages.text("Lesson {number}", ["number": "3"], language: .en), "Lesson 3")
    }

    /// The `name="…"` of every `[test]` cell of the English exercises and their tests files.
    static func exerciseTestNames() throws -> Set<String> {
        let exercises = root.appendingPathComponent("Lessons/Exercises")
        var names = Set<String>()
        for folder in [exercises, exercises.appendingPathComponent("tests")] {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".lab") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("# %% [test]") {
                    guard let start = line.range(of: "name=\"") else { continue }
                    let rest = line[start.upperBound...]
                    if let end = rest.firstIndex(of: "\"") { names.insert(String(rest[..<end])) }
                }
            }
        }
        return names
    }

    /// Sections of a PO text: headings are the first comment line of a run of comments.
    func testSectionsOfAPOFile() throws {
        let sections = try POCatalog.msgidsBySection("""
            # header
            msgid ""
            msgstr "x"

            # builtins: summaries
            # (a second comment line is not a heading)
            msgid "a"
            msgstr "甲"

            msgid "b"
            msgstr "乙"
            # diagnostics
            msgid "c"
            msgstr "丙"
            """)
        XCTAssertEqual(sections["# builtins: summaries"], ["a", "b"])
        XCTAssertEqual(sections["# diagnostics"], ["c"])
        XCTAssertEqual(sections["# header"], [])
        XCTAssertNil(sections["# (a second comment line is not a heading)"])
    }

    /// The string literals passed to `Messages.text(` (first argument), or the literals
    /// after another `marker` that ends in a quote.
    static func messageKeys(in text: String, after marker: String = "Messages.text(\"") -> Set<String> {
        var keys = Set<String>()
        var rest = Substring(text)
        while let call = rest.range(of: marker) {
            var key = ""
            var escaped = false
            var index = call.upperBound
            while index < rest.endIndex {
                let character = rest[index]
                if escaped { key.append(character == "n" ? "\n" : character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == "\"" { break }
                else { key.append(character) }
                index = rest.index(after: index)
            }
            keys.insert(key)
            rest = rest[index...]
        }
        return keys
    }
}
