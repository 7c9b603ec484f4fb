import XCTest
@testable import LabCLI
import Notebook

/// How the kernel, which sees no cell metadata, knows an exercise or test cell: its first
/// line is the `.lab` marker the exercise export writes.
final class KernelMarkedCellTests: XCTestCase {
    func testAMarkedTestCellIsKnownWithItsLinesCountedInTheCell() throws {
        let cell = try XCTUnwrap(LabScriptKernel.markedCell(
            "# %% [test] points=2 name=\"shape\"\nexpect_shape(f(1), [2])", file: "In[3]"))
        XCTAssertEqual(cell.kind, .test)
        XCTAssertEqual(cell.metadata["name"], "shape")
        XCTAssertEqual(cell.firstLine, 2)
        XCTAssertEqual(VisibleTest.passLine(cell), "✓ shape (2 points)\n")
    }

    func testAnExerciseCellKeepsItsID() throws {
        let cell = try XCTUnwrap(LabScriptKernel.markedCell("# %% [exercise] id=ntxent\nfn f(x) { return x }\n", file: "In[1]"))
        XCTAssertEqual(cell.kind, .exercise)
        XCTAssertEqual(cell.metadata["id"], "ntxent")
    }

    func testOtherCodeRunsAsItIs() {
        XCTAssertNil(LabScriptKernel.markedCell("x = 1\n# %% [test] points=1 name=\"t\"\nexpect(true)", file: "In[1]"))
        XCTAssertNil(LabScriptKernel.markedCell("# %%\nx = 1", file: "In[1]"))
        XCTAssertNil(LabScriptKernel.markedCell("# a comment\nx = 1", file: "In[1]"))
        // Two cells pasted into one: not one exercise cell, so it runs as plain code.
        XCTAssertNil(LabScriptKernel.markedCell("# %% [exercise] id=a\nx = 1\n# %% [exercise] id=b\ny = 2", file: "In[1]"))
        // A malformed marker (no points) is not a test cell either.
        XCTAssertNil(LabScriptKernel.markedCell("# %% [test] name=\"t\"\nexpect(true)", file: "In[1]"))
    }
}
