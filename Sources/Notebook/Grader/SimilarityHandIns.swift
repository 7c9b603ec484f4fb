import Foundation

extension SimilaritySubmission {
    /// A hand-in (`.lab` or `.ipynb`) read as the grader reads it
    /// (`NotebookDocument(handIn:)`, then `ExerciseFile.handIn`): the code of each of the
    /// official exercise's cells, taken from the hand-in's `[exercise]` cell of that id, or
    /// the starter code where the hand-in has none (which the report then removes as starter).
    /// `student` defaults to the file's name without its extension.
    public static func read(handIn url: URL, official: ExerciseFile,
                            student: String? = nil) throws(NotebookFormatError) -> SimilaritySubmission {
        let learner = try NotebookDocument(handIn: url)
        let graded = try ExerciseFile.handIn(learner, official: official)
        return SimilaritySubmission(student: student ?? url.deletingPathExtension().lastPathComponent,
                                    cells: SimilarityReport.cells(of: graded))
    }
}

extension SimilarityReport {
    /// Exercise cell id → code, for every `[exercise]` cell of an exercise file (the first
    /// cell of an id, as the grader takes it). Of the official file, this is the starter.
    public static func cells(of exercise: ExerciseFile) -> [String: String] {
        var cells: [String: String] = [:]
        for item in exercise.exercises where cells[item.id] == nil { cells[item.id] = item.cell.source }
        return cells
    }

    /// The report over hand-in files of one exercise (`student` names each; see
    /// `SimilaritySubmission.read`), with the official file's exercise cells as the starter.
    public static func analyse(handIns: [(student: String, url: URL)], official: ExerciseFile,
                               options: SimilarityOptions = .init()) throws(NotebookFormatError) -> SimilarityReport {
        var submissions: [SimilaritySubmission] = []
        for handIn in handIns {
            submissions.append(try SimilaritySubmission.read(handIn: handIn.url, official: official, student: handIn.student))
        }
        return analyse(submissions, starter: cells(of: official), options: options)
    }
}
