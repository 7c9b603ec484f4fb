/// One cell of a lesson as it was run: the cell and what it produced.
public struct CellRecord: Sendable, Equatable {
    /// 1-based position of the cell in the file (counting every cell), as messages name it.
    public var number: Int
    public var cell: Cell
    public var outputs: [CellOutput]
    /// For code cells that ran: 1, 2, 3… in the order they ran; `nil` for prose and
    /// for code that never ran.
    public var executionCount: Int?
    public var failure: CellFailure?

    public init(number: Int, cell: Cell, outputs: [CellOutput] = [], executionCount: Int? = nil,
                failure: CellFailure? = nil) {
        self.number = number
        self.cell = cell
        self.outputs = outputs
        self.executionCount = executionCount
        self.failure = failure
    }
}

/// How a run ended.
public enum RunOutcome: Sendable, Equatable {
    case completed
    /// A cell failed (an error or a failed `expect`); the run stopped there, or, for a
    /// failed `[test]` cell (the first one), went on with the other cells.
    case failed(cell: Int, line: Int?, message: String)
    /// The step callback asked to stop after this cell.
    case stopped(afterCell: Int)
}

/// A lesson with its outputs: what the exports write.
public struct LessonRun: Sendable, Equatable {
    public var file: String
    public var title: String?
    /// The cells shown, in order (prose, code and tests; hints are not part of a lesson run).
    public var records: [CellRecord]
    public var outcome: RunOutcome

    public init(file: String, title: String?, records: [CellRecord], outcome: RunOutcome) {
        self.file = file
        self.title = title
        self.records = records
        self.outcome = outcome
    }

    /// Exit status for the CLI: 0 when the lesson ran to the end (or the learner stopped it), 1 on failure.
    public var exitStatus: Int32 {
        if case .failed = outcome { return 1 }
        return 0
    }
}
