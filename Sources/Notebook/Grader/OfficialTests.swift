/// A learner hands in their copy of the exercise file, visible tests included, and could
/// have edited those tests. For grading that counts (Gradescope), give the official
/// exercise file too: the learner's `[test]` cells are then ignored and the official
/// file's visible tests run instead (its line numbers and file name in their messages).
/// A teacher's hidden tests file is the other safeguard: it never passes through the learner.
extension ExerciseFile {
    public static func learnerCopy(_ learner: NotebookDocument,
                                   testsFrom official: ExerciseFile) throws(NotebookFormatError) -> ExerciseFile {
        var document = learner
        // ExerciseFile requires a test cell; the official ones stand in, then replace the list.
        document.cells = learner.cells.filter { $0.kind != .test } + official.document.cells.filter { $0.kind == .test }
        var exercise = try ExerciseFile(document: document)
        exercise.tests = official.tests
        return exercise
    }
}
