import Foundation
import LabSupport
import XCTest

/// The one JSON value type: its notebook form (what ipynb exports hold), its wire form (what
/// the kernel sends) and its string escaper, which the safetensors header and the PyTorch
/// export's Python literals share.
final class JSONTests: XCTestCase {
    func testQuotedEscapesQuotesBackslashesAndEveryControlCharacter() {
        XCTAssertEqual(JSON.quoted("plain é 🙂"), "\"plain é 🙂\"")
        XCTAssertEqual(JSON.quoted("q\"b\\"), #""q\"b\\""#)
        XCTAssertEqual(JSON.quoted("\n\r\t\u{08}\u{0C}"), #""\n\r\t\b\f""#)
        XCTAssertEqual(JSON.quoted("\u{1}\u{1F}\u{7F}"), #""\u0001\u001f\u007f""#)
        // Whatever the text, the literal parses back to it.
        let text = "a\u{0}b\u{7F}\"\\\n 模式"
        let parsed = try? JSONDecoder().decode(String.self, from: Data(JSON.quoted(text).utf8))
        XCTAssertEqual(parsed, text)
    }

    func testNotebookFormSortsKeysByBytesAndIndentsOneSpace() {
        let value: JSON = ["b": .string("q\"\\\n\t\u{1}é🙂"), "a": [nil, true, -3], "c": [], "d": [:],
                           "Z": .double(0.5)]
        XCTAssertEqual(value.serialized(), """
        {
         "Z": 0.5,
         "a": [
          null,
          true,
          -3
         ],
         "b": "q\\"\\\\\\n\\t\\u0001é🙂",
         "c": [],
         "d": {}
        }

        """)
    }

    func testWireFormRoundTripsAndKeepsIntegersIntegers() throws {
        let value: JSON = ["execution_count": 3, "ratio": .double(0.25), "text": "a/b \"c\"", "list": [1, "x", nil]]
        let text = String(decoding: value.data, as: UTF8.self)
        XCTAssertEqual(text, #"{"execution_count":3,"list":[1,"x",null],"ratio":0.25,"text":"a/b \"c\""}"#)
        XCTAssertEqual(JSON.parse(value.data), value)
        XCTAssertEqual(JSON.parse(Data("[1, 1.5]".utf8)), [.int(1), .double(1.5)])
        XCTAssertNil(JSON.parse(Data("{".utf8)))
    }
}
