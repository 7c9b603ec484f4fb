import XCTest
@testable import Notebook

final class PercentFormatParserTests: XCTestCase {
    let lesson = """
    # A header comment before the first marker
    seed = 7

    # %% [markdown] time=40s
    # # 3. Mode collapse
    # Two copies of one encoder,
    #
    # shown only *positive* pairs.

    # %%
    enc = mlp([64, 64, 16])
    run = train(enc, digits(), method: "positive-only", epochs: 20)


    # %% [markdown]
    # The embeddings all point the same way:

    # %% title="check it" quick=true
    z = embed(enc, digits())
    expect(embedding_std(z) < 0.02, "collapses")
    """

    func testCellsKindsSourcesAndLines() throws {
        let doc = try NotebookDocument(parsing: lesson, file: "03-mode-collapse.lab")
        XCTAssertEqual(doc.cells.map(\.kind), [.code, .markdown, .code, .markdown, .code])

        let preamble = doc.cells[0]
        XCTAssertNil(preamble.markerLine)
        XCTAssertEqual(preamble.firstLine, 1)
        XCTAssertEqual(preamble.source, "# A header comment before the first marker\nseed = 7")

        let prose = doc.cells[1]
        XCTAssertEqual(prose.markerLine, 4)
        XCTAssertEqual(prose.firstLine, 5)
        XCTAssertEqual(prose.source, "# 3. Mode collapse\nTwo copies of one encoder,\n\nshown only *positive* pairs.")
        XCTAssertEqual(prose.metadata["time"], "40s")

        let code = doc.cells[2]
        XCTAssertEqual(code.markerLine, 10)
        XCTAssertEqual(code.firstLine, 11)
        XCTAssertEqual(code.source, "enc = mlp([64, 64, 16])\nrun = train(enc, digits(), method: \"positive-only\", epochs: 20)")

        let last = doc.cells[4]
        XCTAssertEqual(last.markerLine, 18)
        XCTAssertEqual(last.firstLine, 19)
        XCTAssertEqual(last.metadata.keys, ["title", "quick"])
        XCTAssertEqual(last.metadata["title"], "check it")
        XCTAssertEqual(last.metadata["quick"], "true")
    }

    func testLeadingBlankLinesMoveFirstLine() throws {
        let doc = try NotebookDocument(parsing: "# %%\n\n\nx = 1\n", file: "f.lab")
        XCTAssertEqual(doc.cells.count, 1)
        XCTAssertEqual(doc.cells[0].firstLine, 4)
        XCTAssertEqual(doc.cells[0].source, "x = 1")
    }

    func testBlankPreambleIsDroppedAndEmptyCellsKept() throws {
        let doc = try NotebookDocument(parsing: "\n\n# %%\n# %% [markdown]\n", file: "f.lab")
        XCTAssertEqual(doc.cells.map(\.kind), [.code, .markdown])
        XCTAssertEqual(doc.cells[0].source, "")
        XCTAssertEqual(doc.cells[0].firstLine, 4)
    }

    func testFileWithoutMarkersIsOneCodeCell() throws {
        let doc = try NotebookDocument(parsing: "print(1)\r\nprint(2)\r\n", file: "f.lab")
        XCTAssertEqual(doc.cells.count, 1)
        XCTAssertEqual(doc.cells[0].source, "print(1)\nprint(2)")
    }

    func testQuotedMetadataWithEscapes() throws {
        let doc = try NotebookDocument(
            parsing: #"# %% [test] points=3 name="says \"hi\" \\ bye" timeout=1m30s"# + "\nexpect(true)\n",
            file: "e.lab")
        let cell = doc.cells[0]
        XCTAssertEqual(cell.kind, .test)
        XCTAssertEqual(cell.metadata["points"], "3")
        XCTAssertEqual(cell.metadata["name"], #"says "hi" \ bye"#)
        XCTAssertEqual(cell.metadata["timeout"], "1m30s")
    }

    func testExerciseKindsParse() throws {
        let doc = try NotebookDocument(parsing: """
        # %% [exercise] id=nt-xent
        fn loss(z1, z2) { return todo("write NT-Xent") }
        # %% [hint]
        # Normalise first.
        # %% [md]
        # Prose.
        # %% [test] points=2 name="symmetric"
        expect(true)
        """, file: "e.lab")
        XCTAssertEqual(doc.cells.map(\.kind), [.exercise, .hint, .markdown, .test])
        XCTAssertEqual(doc.cells[1].source, "Normalise first.")
    }

    // MARK: Malformed files: every error names its line.

    func assertError(_ text: String, line: Int, _ reason: NotebookFormatError.Reason,
                     file: StaticString = #filePath, testLine: UInt = #line) {
        do {
            let doc = try NotebookDocument(parsing: text, file: "bad.lab")
            XCTFail("expected an error, parsed \(doc.cells.count) cells", file: file, line: testLine)
        } catch {
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.reason, reason, "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.description.hasPrefix("bad.lab:\(line): error: "), error.description,
                          file: file, line: testLine)
        }
    }

    func testUnknownCellKind() {
        assertError("x = 1\n# %% [prose]\n# hi\n", line: 2, .unknownCellKind("prose"))
    }

    func testMalformedMarkers() {
        assertError("# %%%\n", line: 1, .malformedMarker("expected a space after '# %%', found '%'"))
        assertError("\n\n# %% [markdown\n", line: 3, .malformedMarker("'[' without a closing ']'"))
        assertError("# %% [test]points=1\n", line: 1, .malformedMarker("expected a space after ']'"))
    }

    func testBadMetadata() {
        assertError("# %% title\n", line: 1, .badMetadata("'title' is missing '=value'"))
        assertError("# %%\n# %% name=\"open\n", line: 2, .badMetadata("the quoted value of 'name' has no closing '\"'"))
        assertError("# %% a=\n", line: 1, .badMetadata("'a=' has no value (write a=\"\" for an empty one)"))
        assertError("# %% =3\n", line: 1, .badMetadata("expected key=value, found '=3'"))
        assertError("# %% 3d=yes\n", line: 1, .badMetadata("key '3d' must start with a letter or '_'"))
        assertError("# %% a=\"x\"y\n", line: 1, .badMetadata("expected a space after the value of 'a'"))
        assertError("# %% a=x\"y\n", line: 1, .badMetadata("a quote inside the bare value of 'a'; quote the whole value"))
        assertError("# %% a=1 a=2\n", line: 1, .duplicateMetadataKey("a"))
    }

    func testProseLinesMustBeComments() {
        assertError("# %% [markdown]\n# fine\nnot a comment\n", line: 3, .proseLineWithoutHash)
        assertError("# %% [hint]\n#no space\n", line: 2, .proseLineWithoutHash)
    }

    func testExerciseIDs() {
        assertError("# %% [exercise]\nx = 1\n", line: 1, .missingExerciseID)
        assertError("# %% [exercise] id=\"two words\"\n", line: 1, .invalidExerciseID("two words"))
        assertError("# %% [exercise] id=a\n\n# %% [exercise] id=b\n# %% [exercise] id=a\n", line: 4,
                    .duplicateExerciseID("a", firstLine: 1))
        assertError("# %% [exercise] id=a\n# %% [hint] exercise=b\n# hi\n", line: 2, .unknownExercise("b"))
    }

    func testTestCells() {
        assertError("# %% [test] name=\"x\"\n", line: 1, .missingPoints)
        assertError("# %% [test] points=two name=\"x\"\n", line: 1, .invalidPoints("two"))
        assertError("# %% [test] points=0 name=\"x\"\n", line: 1, .invalidPoints("0"))
        assertError("# %% [test] points=1.5 name=\"x\"\n", line: 1, .invalidPoints("1.5"))
        assertError("x\n# %% [test] points=1\n", line: 2, .testWithoutName)
        assertError("# %% [test] points=1 name=\"  \"\n", line: 1, .testWithoutName)
        assertError("# %% [test] points=1 name=t\n\n# %% [test] points=2 name=t\n", line: 3,
                    .duplicateTestName("t", firstLine: 1))
    }

    func testDurations() {
        assertError("# %% [markdown] time=soon\n", line: 1, .invalidDuration(key: "time", value: "soon"))
        assertError("# %% [test] points=1 name=x timeout=5q\n", line: 1, .invalidDuration(key: "timeout", value: "5q"))
        XCTAssertEqual(MetadataDuration.seconds("45s"), 45)
        XCTAssertEqual(MetadataDuration.seconds("2m"), 120)
        XCTAssertEqual(MetadataDuration.seconds("1m30s"), 90)
        XCTAssertEqual(MetadataDuration.seconds("500ms"), 0.5)
        XCTAssertEqual(MetadataDuration.seconds("12"), 12)
        XCTAssertNil(MetadataDuration.seconds(""))
        XCTAssertNil(MetadataDuration.seconds("-3"))
        XCTAssertNil(MetadataDuration.seconds("s"))
    }

    func testUnreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/00-x.lab")
        XCTAssertThrowsError(try NotebookDocument(contentsOf: url)) { error in
            guard let error = error as? NotebookFormatError, case .unreadable = error.reason else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(error.file, url.path)
        }
    }

    func testWriterRoundTrips() throws {
        let doc = try NotebookDocument(parsing: lesson, file: "l.lab")
        let text = PercentFormatWriter.text(of: doc.cells)
        let again = try NotebookDocument(parsing: text, file: "l.lab")
        XCTAssertEqual(again.cells.map(\.kind), doc.cells.map(\.kind))
        XCTAssertEqual(again.cells.map(\.source), doc.cells.map(\.source))
        XCTAssertEqual(again.cells.map(\.metadata), doc.cells.map(\.metadata))
        XCTAssertEqual(PercentFormatWriter.text(of: again.cells), text)
        XCTAssertEqual(PercentFormatWriter.markerLine(for: doc.cells[4]), #"# %% title="check it" quick=true"#)
    }
}
